import type { InArgs } from "@libsql/client";
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

type Row = Record<string, string | number | null>;

/**
 * Interactions and journey events of one customer in `occurredAt` order, keyset-paginated on
 * (occurred_at, id). Each branch of the union uses the (customer_id, occurred_at) index. Filters:
 * naming channels or types shows only those; flaggedOnly shows flagged interactions only.
 */
export async function customerTimeline(db: Db, customerId: string, q: TimelineQuery) {
  const wantInteractions = !q.types?.length || !!q.channels?.length;
  const wantEvents = !q.flaggedOnly && (!q.channels?.length || !!q.types?.length);
  const cmp = q.order === "asc" ? ">" : "<";
  const branches: string[] = [];
  const args: (string | number)[] = [];

  const common = (alias: string) => {
    const where = [`${alias}.customer_id = ?`];
    args.push(customerId);
    if (q.from) {
      where.push(`${alias}.occurred_at >= ?`);
      args.push(q.from.getTime());
    }
    if (q.to) {
      where.push(`${alias}.occurred_at < ?`);
      args.push(q.to.getTime());
    }
    if (q.cursor) {
      where.push(`(${alias}.occurred_at ${cmp} ? OR (${alias}.occurred_at = ? AND ${alias}.id ${cmp} ?))`);
      args.push(q.cursor.t, q.cursor.t, q.cursor.id);
    }
    return where;
  };

  if (wantInteractions) {
    const where = common("i");
    if (q.channels?.length) {
      where.push(`i.channel IN (${q.channels.map(() => "?").join(",")})`);
      args.push(...q.channels);
    }
    if (q.flaggedOnly) where.push("i.flagged = 1");
    branches.push(`SELECT 'interaction' AS kind, i.id, i.occurred_at, i.channel AS what, i.subject, i.text, i.analysis,
      NULL AS name, NULL AS status, NULL AS amount, NULL AS currency, NULL AS attributes
      FROM interactions i WHERE ${where.join(" AND ")}`);
  }
  if (wantEvents) {
    const where = common("e");
    if (q.types?.length) {
      where.push(`e.type IN (${q.types.map(() => "?").join(",")})`);
      args.push(...q.types);
    }
    // Every branch names every column: a UNION takes its column names from whichever branch comes first.
    branches.push(`SELECT 'event' AS kind, e.id, e.occurred_at, e.type AS what, NULL AS subject, NULL AS text, NULL AS analysis,
      e.name AS name, e.status AS status, e.amount AS amount, e.currency AS currency, e.attributes AS attributes
      FROM journey_events e WHERE ${where.join(" AND ")}`);
  }
  // Moments sit on the timeline at the item that triggered them; they count as flagged items.
  const wantMoments = (!q.channels?.length && !q.types?.length) || !!q.types?.includes("moment");
  if (wantMoments) {
    const where = ["m.customer_id = ?"];
    args.push(customerId);
    if (q.from) where.push("m.trigger_at >= ?"), args.push(q.from.getTime());
    if (q.to) where.push("m.trigger_at < ?"), args.push(q.to.getTime());
    if (q.cursor) {
      where.push(`(m.trigger_at ${cmp} ? OR (m.trigger_at = ? AND m.id ${cmp} ?))`);
      args.push(q.cursor.t, q.cursor.t, q.cursor.id);
    }
    branches.push(`SELECT 'moment' AS kind, m.id, m.trigger_at AS occurred_at, m.severity AS what, m.status AS subject, m.trigger_id AS text, m.reasons AS analysis,
      NULL AS name, NULL AS status, m.risk AS amount, NULL AS currency, NULL AS attributes
      FROM moments m WHERE ${where.join(" AND ")}`);
  }
  if (branches.length === 0) return { items: [], nextCursor: null };

  const dir = q.order === "asc" ? "ASC" : "DESC";
  args.push(q.limit + 1);
  const rs = await db.$client.execute({
    sql: `${branches.join(" UNION ALL ")} ORDER BY occurred_at ${dir}, id ${dir} LIMIT ?`,
    args: args as InArgs,
  });
  const rows = rs.rows as unknown as Row[];
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ t: Number(last.occurred_at), id: String(last.id) }) : null,
  };
}

function toItem(r: Row) {
  const occurredAt = new Date(Number(r.occurred_at)).toISOString();
  if (r.kind === "moment") {
    const reasons = JSON.parse(String(r.analysis)) as Array<{ code: string; text: string; refs: string[] }>;
    return {
      kind: "moment" as const,
      id: String(r.id),
      occurredAt,
      severity: String(r.what),
      status: String(r.subject),
      risk: Number(r.amount),
      triggerId: String(r.text),
      reasons,
      summary: `${String(r.what)} complaint risk: ${reasons.slice(0, 3).map((x) => x.text).join("; ")}`,
    };
  }
  if (r.kind === "interaction") {
    return {
      kind: "interaction" as const,
      id: String(r.id),
      occurredAt,
      channel: String(r.what),
      summary: interactionSummary(String(r.what), r.subject as string | null, String(r.text ?? "")),
      analysis: analysisSummary(r.analysis as string | null),
    };
  }
  return {
    kind: "event" as const,
    id: String(r.id),
    occurredAt,
    type: String(r.what),
    name: r.name as string | null,
    status: r.status as string | null,
    amount: r.amount === null ? null : Number(r.amount),
    currency: r.currency as string | null,
    attributes: r.attributes ? (JSON.parse(String(r.attributes)) as Record<string, unknown>) : null,
    summary: eventSummary(String(r.what), r.name as string | null, r.status as string | null, r.amount === null ? null : Number(r.amount), r.currency as string | null),
  };
}
