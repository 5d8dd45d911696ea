import { and, desc, eq, gt, gte, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customers, moments, severities, type momentStatuses } from "../../db/schema/index.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";
import { notFound } from "../../lib/domain-error.js";
import { bestIdentifierSql, customerLabel } from "../customers/label.js";

type MomentRow = typeof moments.$inferSelect;
type Severity = (typeof severities)[number];
type Status = (typeof momentStatuses)[number];

/** Severity as a number to compare and sort by: its place in `severities` (low 1 … critical 4). */
export const severityRank = (severity: string) => severities.indexOf(severity as Severity) + 1;

/** The same rank in SQL, made from the same list, for queries that sort by severity. */
export const severityRankSql = (column: typeof moments.severity) =>
  sql`CASE ${column} ${sql.join(
    severities.map((s, i) => sql`WHEN ${s} THEN ${i + 1}`),
    sql` `,
  )} ELSE 0 END`;

// A name is kept from when each person acted; a moment acted on before names were kept shows its reference.
const byWhom = (by: string | null, name: string | null, at: Date) => ({
  by: String(by),
  name: name ?? String(by),
  at: at.toISOString(),
});

/** A moment as the API and the console show it. */
export function momentView(m: MomentRow) {
  return {
    id: m.id,
    customerId: m.customerId,
    status: m.status,
    severity: m.severity,
    risk: m.risk,
    reasons: m.reasons,
    triggerId: m.triggerId,
    triggerAt: m.triggerAt.toISOString(),
    acknowledged: m.acknowledgedAt ? byWhom(m.acknowledgedBy, m.acknowledgedByName, m.acknowledgedAt) : null,
    resolved: m.resolvedAt ? byWhom(m.resolvedBy, m.resolvedByName, m.resolvedAt) : null,
    closed: m.closedAt ? { reason: String(m.closedReason), at: m.closedAt.toISOString() } : null,
    assignee: m.assigneeId ? { id: m.assigneeId, name: String(m.assigneeName) } : null,
    team: m.team,
    assignedAt: m.assignedAt?.toISOString() ?? null,
    snoozedUntil: m.snoozedUntil?.toISOString() ?? null,
    openedAt: (m.openedAt ?? m.createdAt).toISOString(),
    channels: m.channels ? m.channels.split(",") : [],
    needs: m.needs ? m.needs.split(",") : [],
    mergedInto: m.mergedInto,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export type MomentView = ReturnType<typeof momentView>;

export async function getMoment(db: Db, id: string): Promise<MomentView> {
  const [m] = await db.select().from(moments).where(eq(moments.id, id));
  if (!m) throw notFound(`No moment ${id}.`);
  return momentView(m);
}

export interface MomentListQuery {
  status?: Status[];
  severity?: Severity[];
  customerId?: string;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  cursor?: Cursor;
  limit: number;
}

/** A list's filters and its start after `cursor` (newest first). */
function listWhere(q: Omit<MomentListQuery, "limit">): SQL[] {
  const where: SQL[] = [isNull(moments.mergedInto)];
  if (q.status?.length) where.push(inArray(moments.status, q.status));
  if (q.severity?.length) where.push(inArray(moments.severity, q.severity));
  if (q.customerId) where.push(eq(moments.customerId, q.customerId));
  if (q.from) where.push(gte(moments.createdAt, q.from));
  if (q.to) where.push(lt(moments.createdAt, q.to));
  if (q.cursor) {
    const t = new Date(q.cursor.t);
    where.push(or(lt(moments.createdAt, t), and(eq(moments.createdAt, t), lt(moments.id, q.cursor.id)))!);
  }
  return where;
}

/**
 * Moments newest first (created_at, then id), keyset-paginated; the (status, created_at) index serves
 * it. A moment a customer merge folded into another is left out (GET /v1/moments/{id} still finds it).
 * `until` (an export's edge) ends the list at that moment, inclusive.
 */
export async function listMoments(db: Db, q: MomentListQuery & { until?: Cursor }) {
  const where = listWhere(q);
  if (q.until) {
    const t = new Date(q.until.t);
    where.push(or(gt(moments.createdAt, t), and(eq(moments.createdAt, t), gte(moments.id, q.until.id)))!);
  }
  const rows = await db
    .select()
    .from(moments)
    .where(and(...where))
    .orderBy(desc(moments.createdAt), desc(moments.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(momentView),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.createdAt.getTime(), id: last.id }) : null,
  };
}

/**
 * The moments at `offset` and `offset + 1` of a list (after its cursor), as positions: an export's
 * last row and whether another follows it, known before the first row is written.
 */
export async function momentListEdge(db: Db, q: Omit<MomentListQuery, "limit">, offset: number) {
  const where = and(...listWhere(q));
  const edge = await db
    .select({ t: moments.createdAt, id: moments.id })
    .from(moments)
    .where(where)
    .orderBy(desc(moments.createdAt), desc(moments.id))
    .limit(2)
    .offset(offset);
  const [counted] = edge.length
    ? [{ n: offset + 1 }]
    : await db.select({ n: sql<number>`count(*)` }).from(moments).where(where);
  return {
    last: edge[0] ? { t: edge[0].t.getTime(), id: edge[0].id } : null,
    more: edge.length > 1,
    rows: Number(counted.n),
  };
}

/** Live (open or acknowledged) moments with their customer's name: open first, then the most severe, then the latest. */
export async function liveMomentBoard(db: Db, limit = 200) {
  const rows = await db
    .select({
      moment: moments,
      customerName: customers.displayName,
      best: sql<string | null>`${bestIdentifierSql(moments.customerId)}`,
    })
    .from(moments)
    .innerJoin(customers, eq(customers.id, moments.customerId))
    .where(and(inArray(moments.status, ["open", "acknowledged"]), isNull(moments.mergedInto)))
    .orderBy(desc(sql`${moments.status} = 'open'`), desc(severityRankSql(moments.severity)), desc(moments.triggerAt))
    .limit(limit);
  return rows.map((r) => ({
    ...momentView(r.moment),
    customerName: r.customerName,
    customerLabel: customerLabel(r.customerName, r.best),
  }));
}

/** How many moments are open (the console's badge). */
export async function openMomentCount(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(moments)
    .where(and(eq(moments.status, "open"), isNull(moments.mergedInto)));
  return Number(row.n);
}

/** The most severe moment still open or acknowledged, per customer. */
export async function liveMoments(db: Db, customerIds: string[]) {
  const out = new Map<string, { id: string; severity: Severity; status: Status; risk: number }>();
  if (customerIds.length === 0) return out;
  const rows = await db
    .select({
      id: moments.id,
      customerId: moments.customerId,
      severity: moments.severity,
      status: moments.status,
      risk: moments.risk,
    })
    .from(moments)
    .where(
      and(
        inArray(moments.customerId, customerIds),
        inArray(moments.status, ["open", "acknowledged"]),
        isNull(moments.mergedInto),
      ),
    )
    .orderBy(desc(moments.risk));
  for (const r of rows)
    if (!out.has(r.customerId))
      out.set(r.customerId, { id: r.id, severity: r.severity, status: r.status, risk: r.risk });
  return out;
}
