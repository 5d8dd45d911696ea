import { eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { sqlList } from "../../db/sql-list.js";
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
 * The moments a dashboard window counts (alias `m`): triggered in [from, to), and, when channels are
 * chosen, triggered by an interaction on one of them. The dashboard and its drill-down both use it,
 * so a bar and the list behind it cannot disagree. Like the dashboard's counts it keeps moments a
 * customer merge folded into another: each was a moment when it was raised.
 */
export function momentWindowSql(q: { from: Date; to: Date; channels?: string[] }): SQL {
  const channels = q.channels?.length
    ? sql` AND EXISTS (SELECT 1 FROM interactions i WHERE i.id = m.trigger_id AND i.channel IN ${sqlList(q.channels)})`
    : sql``;
  return sql`m.trigger_at >= ${q.from.getTime()} AND m.trigger_at < ${q.to.getTime()}${channels}`;
}

/** How many moments one page of a window's list shows at most; the page says how many there are in all. */
export const WINDOW_MOMENTS_LIMIT = 100;

/**
 * A window's moments (the dashboard's cell or bar behind them), newest trigger first, at most
 * `limit`, with their customer's name and the exact count of all of them.
 */
export async function windowMoments(db: Db, q: WindowMomentsQuery, limit = WINDOW_MOMENTS_LIMIT) {
  const where = sql`${momentWindowSql(q)}${q.severities?.length ? sql` AND m.severity IN ${sqlList(q.severities)}` : sql``}`;
  const [counted] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM moments m WHERE ${where}`);
  const ids = await db.all<{ id: string }>(
    sql`SELECT m.id FROM moments m WHERE ${where} ORDER BY m.trigger_at DESC, m.id DESC LIMIT ${limit}`,
  );
  if (ids.length === 0) return { total: Number(counted.n), items: [] };
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
    total: Number(counted.n),
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
