import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import type { CsvCell } from "../../lib/csv-stream.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";
import { analysisSummary } from "../customers/items.js";
import { afterCursor, interactionConditions, type InteractionSearch } from "../interaction-search.js";
import { EXPORT_PAGE_ROWS, type ExportPlan } from "./limits.js";

/** The columns of an interaction export. Text is as stored: personal data already masked. */
export const interactionColumns = [
  "id",
  "occurred_at",
  "channel",
  "customer_id",
  "subject",
  "text",
  "language",
  "sentiment_score",
  "sentiment_label",
  "complaint_risk",
  "flagged",
  "topics",
  "needs",
  "reasons",
] as const;

interface Row {
  id: string;
  customer_id: string;
  channel: string;
  occurred_at: number;
  subject: string | null;
  text: string;
  analysis: string | null;
}

/** Rows at or before `edge` in the search's order: an export ends at its edge, inclusive. */
const notPast = (order: "asc" | "desc", edge: Cursor) => {
  const cmp = sql.raw(order === "asc" ? "<" : ">");
  return sql`(i.occurred_at ${cmp} ${edge.t} OR (i.occurred_at = ${edge.t} AND i.id ${cmp}= ${edge.id}))`;
};

const record = (r: Row): Record<(typeof interactionColumns)[number], CsvCell> => {
  const a = analysisSummary(r.analysis);
  return {
    id: r.id,
    occurred_at: new Date(r.occurred_at).toISOString(),
    channel: r.channel,
    customer_id: r.customer_id,
    subject: r.subject,
    text: r.text,
    language: a?.language.code,
    sentiment_score: a?.sentiment.score,
    sentiment_label: a?.sentiment.label,
    complaint_risk: a?.complaint.risk,
    flagged: a?.complaint.flagged,
    topics: a?.topics.map((t) => t.id).join(";"),
    needs: a?.needs.map((n) => n.id).join(";"),
    reasons: a?.complaint.reasons.join("; "),
  };
};

/**
 * An export of what an interaction search finds: at most `max` rows from `cursor` on, in the search's
 * order. Its last row is found first (one indexed query at an offset), so the continuation is known
 * before streaming and the stream stops exactly there, however many rows arrive meanwhile elsewhere.
 */
export async function planInteractionExport(
  db: Db,
  s: Omit<InteractionSearch, "limit">,
  max: number,
): Promise<ExportPlan<Record<string, CsvCell>>> {
  const base = await interactionConditions(db, s);
  if (s.cursor) base.push(afterCursor(s.order, s.cursor));
  const dir = sql.raw(s.order === "asc" ? "ASC" : "DESC");
  const where = (extra: SQL[]) => sql.join([...base, ...extra], sql` AND `);
  const edge = await db.all<{ occurred_at: number; id: string }>(
    sql`SELECT i.occurred_at, i.id FROM interactions i WHERE ${where([])} ORDER BY i.occurred_at ${dir}, i.id ${dir} LIMIT 2 OFFSET ${max - 1}`,
  );
  const last = edge[0] ? { t: Number(edge[0].occurred_at), id: edge[0].id } : null;
  const rows = last
    ? max
    : Number(
        (await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM interactions i WHERE ${where([])}`))[0]?.n ?? 0,
      );
  return {
    columns: interactionColumns,
    rows,
    nextCursor: last && edge.length > 1 ? encodeCursor(last) : null,
    async *records() {
      let after: Cursor | undefined;
      for (;;) {
        const page = await db.all<Row>(
          sql`SELECT i.id, i.customer_id, i.channel, i.occurred_at, i.subject, i.text, i.analysis FROM interactions i
            WHERE ${where([...(after ? [afterCursor(s.order, after)] : []), ...(last ? [notPast(s.order, last)] : [])])}
            ORDER BY i.occurred_at ${dir}, i.id ${dir} LIMIT ${EXPORT_PAGE_ROWS}`,
        );
        for (const r of page) yield record(r);
        if (page.length < EXPORT_PAGE_ROWS) return;
        const end = page[page.length - 1];
        after = { t: Number(end.occurred_at), id: end.id };
      }
    },
  };
}
