import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { sqlList } from "../../db/sql-list.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";
import { customerLabel, bestIdentifierSql } from "../customers/label.js";
import { customers, moments, type severities } from "../../db/schema/index.js";
import { momentView } from "./views.js";

type Severity = (typeof severities)[number];

export interface WindowMomentsQuery {
  from: Date;
  to: Date;
  /** None: every channel. */
  channels?: string[];
  /** None: every severity. */
  severities?: Severity[];
}

/**
 * The moments a dashboard window counts (alias `m`): triggered in [from, to), not folded into another
 * by a customer merge, and, when channels are chosen, triggered by an interaction on one of them. The
 * dashboard and its drill-down both use it, so a bar and the list behind it cannot disagree. A fold
 * is counted once, as the moment it was folded into: that one took the folded ones' reasons and their
 * latest trigger, so counting them as well would count one complaint twice.
 */
export function momentWindowSql(q: { from: Date; to: Date; channels?: string[] }): SQL {
  const channels = q.channels?.length
    ? sql` AND EXISTS (SELECT 1 FROM interactions i WHERE i.id = m.trigger_id AND i.channel IN ${sqlList(q.channels)})`
    : sql``;
  return sql`m.trigger_at >= ${q.from.getTime()} AND m.trigger_at < ${q.to.getTime()} AND m.merged_into IS NULL${channels}`;
}

/** How many moments one page of a window's list shows at most; the page says how many there are in all. */
export const WINDOW_MOMENTS_LIMIT = 100;

export interface WindowMomentsPage {
  /** At most this many (WINDOW_MOMENTS_LIMIT unless given). */
  limit?: number;
  /** The page after this moment (newest trigger first): the previous page's `nextCursor`. */
  cursor?: Cursor;
}

/**
 * A page of a window's moments (the dashboard's cell or bar behind them), newest trigger first, with
 * their customer's name, the exact count of all of them, how many come before this page, and the
 * cursor of the next page (null on the last).
 */
export async function windowMoments(db: Db, q: WindowMomentsQuery, page: WindowMomentsPage = {}) {
  const limit = page.limit ?? WINDOW_MOMENTS_LIMIT;
  const where = sql`${momentWindowSql(q)}${q.severities?.length ? sql` AND m.severity IN ${sqlList(q.severities)}` : sql``}`;
  const c = page.cursor;
  // Keyset on (trigger_at, id), the list's order: a page costs the same however deep it is.
  // Those before this page: the cursor's moment (the last one shown) and every one listed ahead of it.
  const shown = c ? sql`(m.trigger_at > ${c.t} OR (m.trigger_at = ${c.t} AND m.id >= ${c.id}))` : null;
  const older = c ? sql` AND (m.trigger_at < ${c.t} OR (m.trigger_at = ${c.t} AND m.id < ${c.id}))` : sql``;
  const [counted] = await db.all<{ n: number; before: number }>(
    sql`SELECT count(*) AS n, ${shown ? sql`count(*) FILTER (WHERE ${shown})` : sql`0`} AS before FROM moments m WHERE ${where}`,
  );
  const found = await db.all<{ id: string; trigger_at: number }>(
    sql`SELECT m.id, m.trigger_at FROM moments m WHERE ${where}${older} ORDER BY m.trigger_at DESC, m.id DESC LIMIT ${limit + 1}`,
  );
  const ids = found.slice(0, limit);
  const last = ids.at(-1);
  const head = {
    total: Number(counted.n),
    before: Number(counted.before),
    nextCursor: found.length > limit && last ? encodeCursor({ t: last.trigger_at, id: last.id }) : null,
  };
  if (ids.length === 0) return { ...head, items: [] };
  const rows = await db
    .select({
      moment: moments,
      customerName: customers.displayName,
      best: sql<string | null>`${bestIdentifierSql(moments.customerId)}`,
    })
    .from(moments)
    .leftJoin(customers, eq(customers.id, moments.customerId))
    .where(sql`${moments.id} IN ${sqlList(ids.map((r) => r.id))}`);
  const byId = new Map(rows.map((r) => [r.moment.id, r]));
  return {
    ...head,
    items: ids.flatMap(({ id }) => {
      const r = byId.get(id);
      return r
        ? [
            {
              ...momentView(r.moment),
              customerName: r.customerName,
              customerLabel: customerLabel(r.customerName, r.best),
            },
          ]
        : [];
    }),
  };
}
