import type { Trajectory, TurnResult } from "./types.js";

/** The customer's path through a conversation: where they started, ended, their lowest point and the trend. */
export function trajectoryOf(customerTurns: TurnResult[]): Trajectory | undefined {
  if (customerTurns.length === 0) return undefined;
  const first = customerTurns[0];
  const last = customerTurns[customerTurns.length - 1];
  const lowest = customerTurns.reduce((lo, t) => (t.score < lo.score ? t : lo), first);
  const change = last.score - first.score;
  return {
    start: first.score,
    end: last.score,
    lowest: { score: lowest.score, turn: lowest.index },
    trend: customerTurns.length < 2 || Math.abs(change) < 0.2 ? "stable" : change > 0 ? "improving" : "worsening",
  };
}
