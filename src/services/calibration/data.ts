import { sql } from "drizzle-orm";
import { PACKED } from "../../analysis/stored-form.js";
import { covariatesOf } from "../../calibration/covariates.js";
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

/** The most interactions a fit reads: the newest of the window, when there are more. */
export const MAX_INTERACTION_ROWS = 50_000;

/** The complaint reason codes of a stored analysis (packed, or the object form), parsed or not. */
export function complaintReasonCodes(stored: unknown): string[] {
  const value = typeof stored === "string" ? (JSON.parse(stored) as unknown) : stored;
  if (Array.isArray(value)) {
    const complaint = value[PACKED.complaint] as [number, number, number, Array<[string, string, number]>] | undefined;
    return complaint?.[3]?.map((r) => r[0]) ?? [];
  }
  const reasons = (value as { complaint?: { reasons?: Array<{ code: string }> } } | null)?.complaint?.reasons;
  return reasons?.map((r) => r.code) ?? [];
}

/** A stored interaction of the window as calibration reads it. */
export interface InteractionRow {
  risk: number;
  flagged: boolean;
  /** Whether an agent gave a verdict on it. */
  judged: boolean;
  covariates: string[];
  /** true: confirmed or missed; false: a false alarm, or unflagged and nobody reported it; null: flagged, unjudged. */
  positive: boolean | null;
}

/**
 * The newest interactions that occurred in [from, to), each with the latest current verdict on it.
 * A judged one is read as it was judged (the risk and reason codes the verdict copied); its needs,
 * which verdicts do not copy, are the interaction's. An unflagged interaction nobody reported as
 * missed is read as not a complaint (fit-complaint.ts says why).
 */
export async function interactionRows(db: Db, from: Date, to: Date): Promise<InteractionRow[]> {
  const rows = await db.all<{
    risk: number | null;
    flagged: number;
    channel: string;
    need_ids: string | null;
    analysis: string | null;
    verdict: string | null;
    v_risk: number | null;
    v_reasons: string | null;
  }>(
    sql`WITH latest AS (
      SELECT * FROM (
        SELECT v.subject_id, v.verdict, v.risk, v.reason_codes,
          row_number() OVER (PARTITION BY v.subject_id ORDER BY v.created_at DESC, v.id DESC) AS rn
        FROM verdicts v WHERE v.subject_kind = 'interaction' AND v.superseded_at IS NULL AND v.flagged_at >= ${from.getTime()} AND v.flagged_at < ${to.getTime()}
      ) WHERE rn = 1)
    SELECT i.complaint_risk AS risk, i.flagged, i.channel, i.need_ids, i.analysis, l.verdict, l.risk AS v_risk, l.reason_codes AS v_reasons
      FROM interactions i LEFT JOIN latest l ON l.subject_id = i.id
      WHERE i.occurred_at >= ${from.getTime()} AND i.occurred_at < ${to.getTime()} AND i.complaint_risk IS NOT NULL
      ORDER BY i.occurred_at DESC LIMIT ${MAX_INTERACTION_ROWS}`,
  );
  return rows.map((r) => {
    const judged = r.verdict !== null;
    const reasons = judged && r.v_reasons ? (JSON.parse(r.v_reasons) as string[]) : complaintReasonCodes(r.analysis);
    const flagged = Number(r.flagged) === 1;
    return {
      risk: Math.round(Number(judged ? r.v_risk : r.risk) * 100) / 100,
      flagged,
      judged,
      covariates: covariatesOf(r.channel, reasons, r.need_ids ? r.need_ids.split(",") : []),
      positive: judged ? r.verdict !== "false_alarm" : flagged ? null : false,
    };
  });
}
