import { sql, type SQL } from "drizzle-orm";
import { sqlList } from "../db/sql-list.js";
import type { Db } from "../db/client.js";
import { encodeCursor, type Cursor } from "../lib/cursor.js";
import { analysisSummary, interactionSummary } from "./customers/items.js";
import { catchUpForSearch } from "./search-indexer.js";

export interface InteractionSearch {
  from: Date;
  to: Date;
  channel?: string[];
  customerIds?: string[];
  sentiment?: Array<"negative" | "neutral" | "positive">;
  topic?: string;
  need?: string;
  flagged?: boolean;
  q?: string;
  cursor?: Cursor;
  limit: number;
  order: "asc" | "desc";
}

interface FoundRow {
  id: string;
  customer_id: string;
  channel: string;
  occurred_at: number;
  subject: string | null;
  text: string;
  analysis: string | null;
}

const sentimentIs = {
  negative: sql`i.sentiment_score <= -0.1`,
  positive: sql`i.sentiment_score >= 0.1`,
  neutral: sql`(i.sentiment_score > -0.1 AND i.sentiment_score < 0.1)`,
} as const;

/** Turns free text into an FTS5 query over subject and text: every word must appear (stemmed), the last one as a prefix. */
export function ftsQuery(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length === 0) return null;
  return `{subject text} : (${words.map((w, i) => `"${w.replace(/"/g, "")}"${i === words.length - 1 ? "*" : ""}`).join(" ")})`;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pad = (n: number) => String(n).padStart(2, "0");
const hourToken = (d: Date) =>
  `h${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}`;
const dayToken = (d: Date) => `d${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;

/**
 * The hour or day tokens (indexed with every interaction) that cover [from, to): hours up to two days,
 * days up to two months; longer windows search without buckets.
 */
export function bucketTerms(from: Date, to: Date): string | null {
  const span = to.getTime() - from.getTime();
  const terms: string[] = [];
  if (span <= 2 * DAY) {
    for (let t = Math.floor(from.getTime() / HOUR) * HOUR; t < to.getTime(); t += HOUR)
      terms.push(hourToken(new Date(t)));
  } else if (span <= 62 * DAY) {
    for (let t = Math.floor(from.getTime() / DAY) * DAY; t < to.getTime(); t += DAY) terms.push(dayToken(new Date(t)));
  } else return null;
  return `bucket : (${terms.join(" OR ")})`;
}

/**
 * The conditions of a search, over `interactions i`, without its cursor: shared by a page, a count and
 * an export, so all three read the same rows.
 */
export async function interactionConditions(db: Db, s: Omit<InteractionSearch, "cursor" | "limit" | "order">) {
  const where: SQL[] = [sql`i.occurred_at >= ${s.from.getTime()}`, sql`i.occurred_at < ${s.to.getTime()}`];
  if (s.channel?.length) where.push(sql`i.channel IN ${sqlList(s.channel)}`);
  if (s.customerIds?.length) where.push(sql`i.customer_id IN ${sqlList(s.customerIds)}`);
  // Labels use the engine's thresholds (lexicons/sentiment.json: ±0.1).
  if (s.sentiment?.length)
    where.push(
      sql`(${sql.join(
        s.sentiment.map((l) => sentimentIs[l]),
        sql` OR `,
      )})`,
    );
  if (s.flagged !== undefined) where.push(sql`i.flagged = ${s.flagged ? 1 : 0}`);
  // The id lists are comma-separated: a whole id matches between commas, never a part of a longer one.
  if (s.topic) where.push(sql`instr(',' || i.topic_ids || ',', ${`,${s.topic},`}) > 0`);
  if (s.need) where.push(sql`instr(',' || i.need_ids || ',', ${`,${s.need},`}) > 0`);
  const match = s.q ? ftsQuery(s.q) : null;
  if (match) {
    // Interactions stored before this search and still waiting for the full-text index join it first
    // (unless heavy ingest has queued many: then the index is at most a moment behind).
    await catchUpForSearch(db);
    // The window's buckets keep the FTS result small; the exact bounds are still checked on the row.
    const buckets = bucketTerms(s.from, s.to);
    where.push(
      sql`i.rowid IN (SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ${buckets ? `${match} AND ${buckets}` : match})`,
    );
  }
  return where;
}

/** Rows after `cursor` in the search's order (newest first for `desc`). */
export function afterCursor(order: "asc" | "desc", cursor: Cursor) {
  const cmp = sql.raw(order === "asc" ? ">" : "<");
  return sql`(i.occurred_at ${cmp} ${cursor.t} OR (i.occurred_at = ${cursor.t} AND i.id ${cmp} ${cursor.id}))`;
}

/** How many interactions a search finds, counting at most `cap` (the count is bounded like a page). */
export async function countInteractions(db: Db, s: Omit<InteractionSearch, "limit" | "order">, cap: number) {
  const where = await interactionConditions(db, s);
  const [row] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM interactions i WHERE ${sql.join(where, sql` AND `)} LIMIT ${cap})`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Interactions across customers in a time window, newest or oldest first, with optional filters and
 * full-text search. The window uses the occurred_at index; text goes through the FTS5 index.
 */
export async function searchInteractions(db: Db, s: InteractionSearch) {
  const where = await interactionConditions(db, s);
  if (s.cursor) where.push(afterCursor(s.order, s.cursor));
  const dir = sql.raw(s.order === "asc" ? "ASC" : "DESC");
  const rows =
    await db.all<FoundRow>(sql`SELECT i.id, i.customer_id, i.channel, i.occurred_at, i.subject, i.text, i.analysis FROM interactions i
      WHERE ${sql.join(where, sql` AND `)} ORDER BY i.occurred_at ${dir}, i.id ${dir} LIMIT ${s.limit + 1}`);
  const page = rows.slice(0, s.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      channel: r.channel,
      occurredAt: new Date(r.occurred_at).toISOString(),
      summary: interactionSummary(r.channel, r.subject, r.text),
      analysis: analysisSummary(r.analysis),
    })),
    nextCursor: rows.length > s.limit && last ? encodeCursor({ t: last.occurred_at, id: last.id }) : null,
  };
}
