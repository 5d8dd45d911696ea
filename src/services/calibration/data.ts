import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { calibrations } from "../../db/schema/index.js";
import type { MomentRules } from "../../journeys/journey-risk.js";
import { calibratedRulesVersion, type ShippedRules } from "./state.js";

/** The most judged moments (and stored moments) a fit or an effect reads: the newest, when there are more. */
export const MAX_MOMENT_ROWS = 20_000;

/** Each version of the moment rules a stored moment may name, so a reason's strength can be recovered from its weight. */
export async function rulesByVersion(db: Db, shipped: ShippedRules): Promise<Map<string, MomentRules>> {
  const out = new Map<string, MomentRules>([[shipped.momentRulesVersion, shipped.momentRules]]);
  for (const c of await db
    .select({ version: calibrations.version, rules: calibrations.momentRules })
    .from(calibrations)) {
    if (c.rules) out.set(calibratedRulesVersion(c.version, c.rules), c.rules);
  }
  return out;
}

/**
 * A reason's strength (0..1): its weight in the moment divided by its signal's weight in the rules
 * that scored it. Rules no longer known fall back to `fallback` (the shipped ones).
 */
export function strengthsOf(
  weights: Record<string, number>,
  rules: MomentRules | undefined,
  fallback: MomentRules,
): Record<string, number> {
  const r = rules ?? fallback;
  const out: Record<string, number> = {};
  for (const [code, w] of Object.entries(weights)) {
    const signal = r.signals[code]?.weight ?? fallback.signals[code]?.weight;
    if (signal) out[code] = Math.min(1, w / signal);
  }
  return out;
}

/** The latest current verdict on each moment whose flag was raised in [from, to), with its reasons' weights. */
export async function judgedMoments(db: Db, from: Date, to: Date) {
  const rows = await db.all<{ verdict: string; weights: string | null; version: string | null }>(
    sql`SELECT verdict, reason_weights AS weights, rules_version AS version FROM (
      SELECT v.*, row_number() OVER (PARTITION BY v.subject_id ORDER BY v.created_at DESC, v.id DESC) AS rn
      FROM verdicts v WHERE v.subject_kind = 'moment' AND v.superseded_at IS NULL AND v.flagged_at >= ${from.getTime()} AND v.flagged_at < ${to.getTime()}
    ) WHERE rn = 1 AND reason_weights IS NOT NULL ORDER BY flagged_at DESC LIMIT ${MAX_MOMENT_ROWS}`,
  );
  return rows.map((r) => ({
    confirmed: r.verdict === "confirmed",
    weights: JSON.parse(String(r.weights)) as Record<string, number>,
    version: r.version,
  }));
}

/** Stored moments triggered in [from, to), newest first, with their reasons' weights. */
export async function storedMoments(db: Db, from: Date, to: Date) {
  const rows = await db.all<{ severity: string; reasons: string; version: string }>(
    sql`SELECT severity, reasons, rules_version AS version FROM moments WHERE trigger_at >= ${from.getTime()} AND trigger_at < ${to.getTime()} ORDER BY trigger_at DESC LIMIT ${MAX_MOMENT_ROWS}`,
  );
  return rows.map((r) => ({
    severity: r.severity,
    weights: Object.fromEntries(
      (JSON.parse(String(r.reasons)) as Array<{ code: string; weight: number }>).map((x) => [x.code, x.weight]),
    ),
    version: r.version,
  }));
}

/** Interactions that occurred in [from, to) by stored risk (two decimals: at most 101 groups) and whether they were flagged. */
export async function interactionsByRisk(db: Db, from: Date, to: Date) {
  const rows = await db.all<{ risk: number | null; n: number; flagged: number }>(
    sql`SELECT round(complaint_risk, 2) AS risk, count(*) AS n, sum(flagged) AS flagged FROM interactions
      WHERE occurred_at >= ${from.getTime()} AND occurred_at < ${to.getTime()} AND complaint_risk IS NOT NULL GROUP BY 1`,
  );
  return rows.map((r) => ({ risk: Number(r.risk), n: Number(r.n), flagged: Number(r.flagged) }));
}
