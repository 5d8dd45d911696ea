import { sql, type SQL } from "drizzle-orm";
import { sqlList } from "../../db/sql-list.js";
import type { Db } from "../../db/client.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";
import { analysisSummary, eventSummary, interactionSummary } from "./items.js";

export interface TimelineQuery {
  from?: Date;
  to?: Date;
  channels?: string[];
  types?: string[];
  flaggedOnly?: boolean;
  cursor?: Cursor;
  limit: number;
  order: "asc" | "desc";
}

/** One row of the timeline's union: the three kinds share its columns (see each branch). */
interface TimelineRow {
  kind: "interaction" | "event" | "moment";
  id: string;
  occurred_at: number;
  what: string;
  subject: string | null;
  text: string | null;
  analysis: string | null;
  name: string | null;
  status: string | null;
  amount: number | null;
  currency: string | null;
  attributes: string | null;
}

const and = (parts: SQL[]) => sql.join(parts, sql` AND `);

/**
 * Interactions and journey events of one customer in `occurredAt` order, keyset-paginated on
 * (occurred_at, id). Each branch of the union uses the (customer_id, occurred_at) index. Filters:
 * naming channels or types shows only those; flaggedOnly shows flagged interactions only. `customer` is
 * null when there is no such customer, and names the survivor when a merge folded it into another.
 */
export async function customerTimeline(db: Db, customerId: string, q: TimelineQuery) {
  const wantInteractions = !q.types?.length || !!q.channels?.length;
  const wantEvents = !q.flaggedOnly && (!q.channels?.length || !!q.types?.length);
  const cmp = sql.raw(q.order === "asc" ? ">" : "<");
  const branches: SQL[] = [];

  /** The window and the cursor on a branch's time column. */
  const bounds = (at: SQL, id: SQL) => {
    const where: SQL[] = [];
    if (q.from) where.push(sql`${at} >= ${q.from.getTime()}`);
    if (q.to) where.push(sql`${at} < ${q.to.getTime()}`);
    if (q.cursor)
      where.push(sql`(${at} ${cmp} ${q.cursor.t} OR (${at} = ${q.cursor.t} AND ${id} ${cmp} ${q.cursor.id}))`);
    return where;
  };

  if (wantInteractions) {
    const where = [sql`i.customer_id = ${customerId}`, ...bounds(sql`i.occurred_at`, sql`i.id`)];
    if (q.channels?.length) where.push(sql`i.channel IN ${sqlList(q.channels)}`);
    if (q.flaggedOnly) where.push(sql`i.flagged = 1`);
    branches.push(sql`SELECT 'interaction' AS kind, i.id, i.occurred_at, i.channel AS what, i.subject, i.text, i.analysis,
      NULL AS name, NULL AS status, NULL AS amount, NULL AS currency, NULL AS attributes
      FROM interactions i WHERE ${and(where)}`);
  }
  if (wantEvents) {
    const where = [sql`e.customer_id = ${customerId}`, ...bounds(sql`e.occurred_at`, sql`e.id`)];
    if (q.types?.length) where.push(sql`e.type IN ${sqlList(q.types)}`);
    // Every branch names every column: a UNION takes its column names from whichever branch comes first.
    branches.push(sql`SELECT 'event' AS kind, e.id, e.occurred_at, e.type AS what, NULL AS subject, NULL AS text, NULL AS analysis,
      e.name AS name, e.status AS status, e.amount AS amount, e.currency AS currency, e.attributes AS attributes
      FROM journey_events e WHERE ${and(where)}`);
  }
  // Moments sit on the timeline at the item that triggered them; they count as flagged items.
  const wantMoments = (!q.channels?.length && !q.types?.length) || !!q.types?.includes("moment");
  if (wantMoments) {
    const where = [sql`m.customer_id = ${customerId}`, ...bounds(sql`m.trigger_at`, sql`m.id`)];
    branches.push(sql`SELECT 'moment' AS kind, m.id, m.trigger_at AS occurred_at, m.severity AS what, m.status AS subject, m.trigger_id AS text, m.reasons AS analysis,
      NULL AS name, NULL AS status, m.risk AS amount, NULL AS currency, NULL AS attributes
      FROM moments m WHERE ${and(where)}`);
  }
  if (branches.length === 0) {
    const [found] = await db.all<{ merged_into: string | null }>(
      sql`SELECT merged_into FROM customers WHERE id = ${customerId}`,
    );
    return { customer: found ? { mergedInto: found.merged_into } : null, items: [], nextCursor: null };
  }

  // The customer and the page in one statement: over a libSQL server every statement is a round trip,
  // and the customer's row (does it exist, was it merged) is what the answer needs first. The LEFT JOIN
  // keeps the customer's row when the page is empty; no row at all means no such customer.
  const dir = sql.raw(q.order === "asc" ? "ASC" : "DESC");
  const rows = await db.all<TimelineRow & { customer_merged_into: string | null }>(
    sql`WITH page AS (${sql.join(branches, sql` UNION ALL `)} ORDER BY occurred_at ${dir}, id ${dir} LIMIT ${q.limit + 1})
      SELECT c.merged_into AS customer_merged_into, page.* FROM customers c LEFT JOIN page ON 1
      WHERE c.id = ${customerId} ORDER BY page.occurred_at ${dir}, page.id ${dir}`,
  );
  if (rows.length === 0) return { customer: null, items: [], nextCursor: null };
  const customer = { mergedInto: rows[0].customer_merged_into };
  const found = rows[0].id === null ? [] : rows;
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    customer,
    items: page.map(toItem),
    nextCursor: found.length > q.limit && last ? encodeCursor({ t: Number(last.occurred_at), id: last.id }) : null,
  };
}

function toItem(r: TimelineRow) {
  const occurredAt = new Date(r.occurred_at).toISOString();
  if (r.kind === "moment") {
    const reasons = JSON.parse(String(r.analysis)) as Array<{ code: string; text: string; refs: string[] }>;
    return {
      kind: "moment" as const,
      id: r.id,
      occurredAt,
      severity: r.what,
      status: String(r.subject),
      risk: Number(r.amount),
      triggerId: String(r.text),
      reasons,
      summary: `${r.what} complaint risk: ${reasons
        .slice(0, 3)
        .map((x) => x.text)
        .join("; ")}`,
    };
  }
  if (r.kind === "interaction") {
    return {
      kind: "interaction" as const,
      id: r.id,
      occurredAt,
      channel: r.what,
      summary: interactionSummary(r.what, r.subject, r.text ?? ""),
      analysis: analysisSummary(r.analysis),
    };
  }
  return {
    kind: "event" as const,
    id: r.id,
    occurredAt,
    type: r.what,
    name: r.name,
    status: r.status,
    amount: r.amount,
    currency: r.currency,
    attributes: r.attributes ? (JSON.parse(r.attributes) as Record<string, unknown>) : null,
    summary: eventSummary(r.what, r.name, r.status, r.amount, r.currency),
  };
}
