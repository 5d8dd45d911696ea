import type { Lexicons } from "./lexicons.js";
import { sortSmall } from "./ordered.js";
import type { ComplaintResult, RiskReason } from "./types.js";

/** One piece of evidence for complaint risk: which signal (a key of lexicons/complaint.json) and how strongly, 0..1. */
export interface RiskSignal {
  code: string;
  strength: number;
  /** Plain-words detail appended to the signal's reason ("−0.70", "44 s in queue"). */
  detail?: string;
}

/**
 * Risk = 1 - prod(1 - weight * strength) over the signals: independent pieces of evidence each raise
 * the risk, none alone reaches 1, and new kinds of evidence (the journey, later) plug in as more signals.
 */
export function complaintRisk(signals: RiskSignal[], config: Lexicons["complaint"]): ComplaintResult {
  const reasons: RiskReason[] = [];
  for (const s of signals) {
    const def = config.signals[s.code];
    const strength = Math.min(1, Math.max(0, s.strength));
    // Evidence too faint to explain anything is left out of the reasons (and so of the risk).
    if (!def || def.weight * strength < MIN_REASON_WEIGHT) continue;
    reasons.push({
      code: s.code,
      text: s.detail ? `${def.reason} ${s.detail}` : def.reason,
      weight: round(def.weight * strength),
    });
  }
  let calm = 1;
  for (const r of reasons) calm *= 1 - r.weight;
  const risk = round(1 - calm);
  return {
    risk,
    flagged: risk >= config.threshold,
    threshold: config.threshold,
    reasons: sortSmall(reasons, byWeightDescending),
  };
}

const byWeightDescending = (a: RiskReason, b: RiskReason) => b.weight - a.weight;

const round = (x: number) => Math.round(x * 100) / 100;
const MIN_REASON_WEIGHT = 0.03;

/** Signed score in plain words with a real minus sign, e.g. "−0.70". */
export const formatScore = (x: number) => (x < 0 ? "\u2212" : "+") + Math.abs(x).toFixed(2);
