import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { moments, severities } from "../../db/schema/index.js";

type Severity = (typeof severities)[number];

/** Minutes to acknowledge a moment, per severity (MOMENT_ACK_TARGET_MINUTES). */
export type AckTargets = Record<Severity, number>;

/**
 * Where a moment stands against its target. The wait counts from `openedAt` (creation or the latest
 * re-open) to the first response: an acknowledgement, else a resolution, else the quiet close, else now.
 */
export function ackState(
  m: {
    severity: Severity;
    openedAt: Date;
    acknowledgedAt: Date | null;
    resolvedAt: Date | null;
    closedAt: Date | null;
  },
  targets: AckTargets,
  now: Date,
) {
  const targetMinutes = targets[m.severity];
  const due = m.openedAt.getTime() + targetMinutes * 60_000;
  const response = m.acknowledgedAt ?? m.resolvedAt;
  const end = (response ?? m.closedAt ?? now).getTime();
  return {
    targetMinutes,
    dueAt: new Date(due).toISOString(),
    /** Seconds from the start of the wait to the response (or until now, while none came). */
    waitedSeconds: Math.max(0, Math.round((end - m.openedAt.getTime()) / 1000)),
    responded: response !== null,
    breached: end > due,
  };
}

/** The target of a moment's severity in milliseconds, as SQL (one CASE made from the same targets). */
export const targetMsSql = (targets: AckTargets): SQL =>
  sql`CASE ${moments.severity} ${sql.join(
    severities.map((s) => sql`WHEN ${s} THEN ${targets[s] * 60_000}`),
    sql` `,
  )} END`;

/** 1 when the moment's first response came (or is still owed) after its target, as SQL. */
export const breachedSql = (targets: AckTargets, now: Date): SQL =>
  sql`(coalesce(${moments.acknowledgedAt}, ${moments.resolvedAt}, ${moments.closedAt}, ${now.getTime()}) > coalesce(${moments.openedAt}, ${moments.createdAt}) + ${targetMsSql(targets)})`;

/**
 * Time to acknowledge per severity for the moments opened in [from, to): how many, how many were
 * answered within their target, how many breached it (answered late, or still waiting past it), and
 * the mean minutes to the first response. One aggregate over the moments' time index.
 */
export async function ackReport(db: Db, targets: AckTargets, window: { from: Date; to: Date }, now: Date) {
  const opened = sql`coalesce(${moments.openedAt}, ${moments.createdAt})`;
  const response = sql`coalesce(${moments.acknowledgedAt}, ${moments.resolvedAt})`;
  const rows = await db.all<{
    severity: Severity;
    n: number;
    responded: number;
    breached: number;
    waiting_breached: number;
    mean_ms: number | null;
  }>(sql`SELECT ${moments.severity} AS severity, count(*) AS n,
      sum(${response} IS NOT NULL) AS responded,
      sum(${breachedSql(targets, now)}) AS breached,
      sum(${response} IS NULL AND ${moments.status} = 'open' AND ${breachedSql(targets, now)}) AS waiting_breached,
      avg(CASE WHEN ${response} IS NOT NULL THEN ${response} - ${opened} END) AS mean_ms
    FROM ${moments}
    WHERE ${moments.createdAt} >= ${window.from.getTime()} AND ${moments.createdAt} < ${window.to.getTime()} AND ${moments.mergedInto} IS NULL
    GROUP BY ${moments.severity}`);
  const bySeverity = new Map(rows.map((r) => [r.severity, r]));
  const items = [...severities].reverse().map((severity) => {
    const r = bySeverity.get(severity);
    return {
      severity,
      targetMinutes: targets[severity],
      moments: Number(r?.n ?? 0),
      responded: Number(r?.responded ?? 0),
      breached: Number(r?.breached ?? 0),
      waitingPastTarget: Number(r?.waiting_breached ?? 0),
      meanMinutesToRespond: r?.mean_ms == null ? null : Math.round((Number(r.mean_ms) / 60_000) * 10) / 10,
    };
  });
  return {
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    items,
    breached: items.reduce((a, i) => a + i.breached, 0),
  };
}
