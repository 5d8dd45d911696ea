import { and, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customers, moments, teamMembers } from "../../db/schema/index.js";
import { invalid } from "../../lib/domain-error.js";
import { bestIdentifierSql, customerLabel } from "../customers/label.js";
import type { Person } from "../person.js";
import { ackState, breachedSql, type AckTargets } from "./ack-targets.js";
import { momentView, severityRankSql } from "./views.js";

// The agents' queue: live moments (open or acknowledged, not snoozed), most severe first, then the
// longest waiting, in the views an agent works from.

export const queueViews = ["mine", "team", "unassigned", "all"] as const;
export type QueueView = (typeof queueViews)[number];

export interface QueueQuery {
  view: QueueView;
  /** Only moments whose interactions came on one of these channels / carry one of these needs. */
  channel?: string[];
  need?: string[];
  /** Only moments with a reason of one of these codes. */
  reason?: string[];
  /** A team's queue by name (the team view otherwise shows the teams the person belongs to). */
  team?: string;
  includeSnoozed?: boolean;
  cursor?: string;
  /** The last moment to list, inclusive (an export's edge): nothing after it in queue order. */
  until?: QueueCursor;
  /** Leave out the view's size and breaches (an export reads them once, not per page). */
  skipCounts?: boolean;
  limit: number;
}

/** Keyset position in queue order: severity rank, start of the wait, id. */
export interface QueueCursor {
  r: number;
  t: number;
  id: string;
}

export const encodeQueueCursor = (c: QueueCursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

export function decodeQueueCursor(raw: string | undefined): QueueCursor | undefined {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as QueueCursor;
    if (Number.isInteger(c.r) && Number.isFinite(c.t) && typeof c.id === "string") return c;
  } catch {
    /* the error below */
  }
  throw invalid("The cursor is not one this API returned.", [
    { field: "cursor", pointer: "/cursor", message: "is not a valid cursor" },
  ]);
}

/** `,a,b,` contains `,x,` for one of the values: the comma-separated columns written by scoring. */
const listHasAny = (column: typeof moments.channels | typeof moments.needs, values: string[]) =>
  or(...values.map((v) => sql`instr(',' || ${column} || ',', ${`,${v},`}) > 0`))!;

const rank = severityRankSql(moments.severity);
const opened = sql<number>`coalesce(${moments.openedAt}, ${moments.createdAt})`;

/** Moments after a position in queue order: less severe, or as severe and waiting less long. */
const afterQueueCursor = (c: QueueCursor) =>
  sql`(${rank} < ${c.r} OR (${rank} = ${c.r} AND (${opened} > ${c.t} OR (${opened} = ${c.t} AND ${moments.id} > ${c.id}))))`;

/** The filters of a view, for one person at `now`. */
function queueWhere(q: QueueQuery, person: Person, now: Date): SQL {
  const where: SQL[] = [inArray(moments.status, ["open", "acknowledged"]), isNull(moments.mergedInto)];
  if (!q.includeSnoozed)
    where.push(or(isNull(moments.snoozedUntil), sql`${moments.snoozedUntil} <= ${now.getTime()}`)!);
  if (q.view === "mine") where.push(eq(moments.assigneeId, person.id));
  if (q.view === "unassigned") where.push(isNull(moments.assigneeId));
  if (q.team) where.push(eq(moments.team, q.team));
  else if (q.view === "team")
    where.push(
      inArray(
        moments.team,
        sql`(SELECT ${teamMembers.team} FROM ${teamMembers} WHERE ${teamMembers.personId} = ${person.id})`,
      ),
    );
  if (q.channel?.length) where.push(listHasAny(moments.channels, q.channel));
  if (q.need?.length) where.push(listHasAny(moments.needs, q.need));
  if (q.reason?.length)
    where.push(
      sql`EXISTS (SELECT 1 FROM json_each(${moments.reasons}) r WHERE r.value ->> 'code' IN (${sql.join(
        q.reason.map((r) => sql`${r}`),
        sql`, `,
      )}))`,
    );
  return and(...where)!;
}

/**
 * A page of a queue view, with the view's size and how many of its moments are past their target
 * (counted over the whole view, not the page). Both queries read live moments only, which the status
 * indexes bound; the page is keyset-paginated in queue order.
 */
export async function queuePage(db: Db, q: QueueQuery, person: Person, targets: AckTargets, now: Date) {
  const cursor = decodeQueueCursor(q.cursor);
  const base = queueWhere(q, person, now);
  const after = cursor ? afterQueueCursor(cursor) : undefined;
  const until = q.until
    ? sql`(${rank} > ${q.until.r} OR (${rank} = ${q.until.r} AND (${opened} < ${q.until.t} OR (${opened} = ${q.until.t} AND ${moments.id} <= ${q.until.id}))))`
    : undefined;
  const rows = await db
    .select({
      moment: moments,
      rank: sql<number>`${rank}`,
      opened,
      name: customers.displayName,
      best: sql<string | null>`${bestIdentifierSql(moments.customerId)}`,
    })
    .from(moments)
    .innerJoin(customers, eq(customers.id, moments.customerId))
    .where(and(base, after, until))
    .orderBy(sql`${rank} DESC`, sql`${opened} ASC`, moments.id)
    .limit(q.limit + 1);
  const [counts] = q.skipCounts
    ? [{ total: 0, breached: 0 }]
    : await db
        .select({
          total: sql<number>`count(*)`,
          breached: sql<number>`coalesce(sum(${breachedSql(targets, now)}), 0)`,
        })
        .from(moments)
        .where(base);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      ...momentView(r.moment),
      customer: { id: r.moment.customerId, name: r.name, label: customerLabel(r.name, r.best) },
      ack: ackState(
        {
          severity: r.moment.severity,
          openedAt: new Date(Number(r.opened)),
          acknowledgedAt: r.moment.acknowledgedAt,
          resolvedAt: r.moment.resolvedAt,
          closedAt: r.moment.closedAt,
        },
        targets,
        now,
      ),
    })),
    total: Number(counts.total),
    breached: Number(counts.breached),
    nextCursor:
      rows.length > q.limit && last
        ? encodeQueueCursor({ r: Number(last.rank), t: Number(last.opened), id: last.moment.id })
        : null,
  };
}

export type QueueItem = Awaited<ReturnType<typeof queuePage>>["items"][number];

/**
 * The moments at `offset` and `offset + 1` in a view's queue order (after `cursor`), as positions: an
 * export's last row and whether another follows it, known before the first row is written.
 */
export async function queueEdge(db: Db, q: QueueQuery, person: Person, now: Date, offset: number) {
  const cursor = decodeQueueCursor(q.cursor);
  const after = cursor ? afterQueueCursor(cursor) : undefined;
  const where = and(queueWhere(q, person, now), after);
  const edge = await db
    .select({ r: sql<number>`${rank}`, t: opened, id: moments.id })
    .from(moments)
    .where(where)
    .orderBy(sql`${rank} DESC`, sql`${opened} ASC`, moments.id)
    .limit(2)
    .offset(offset);
  const [counted] = edge.length
    ? [{ n: offset + 1 }]
    : await db.select({ n: sql<number>`count(*)` }).from(moments).where(where);
  return {
    last: edge[0] ? { r: Number(edge[0].r), t: Number(edge[0].t), id: edge[0].id } : null,
    more: edge.length > 1,
    rows: Number(counted.n),
  };
}
