import type { Trajectory, TurnResult } from "./types.js";

/** The customer's path through a conversation: where they started, ended, their lowest point and the trend. */
export function trajectoryOf(customerTurns: TurnResult[]): Trajectory | undefined {
  if (customerTurns.length === 0) return undefined;
  const first = customerTurns[0];
  const last = customerTurns[customerTurns.length - 1];
  const lowest = customerTurns.reduce((lo, t) => (t.score < lo.score ? t : lo), first);
  const change = last.score - first.score;
  // Scores start as fractions so the fields are doubles from the first object made: with a whole
  // first score V8 made them small-integer fields and deoptimised the pipeline on every fraction after.
  const trajectory: Trajectory = {
    start: 0.5,
    end: 0.5,
    lowest: { score: 0.5, turn: lowest.index },
    trend: customerTurns.length < 2 || Math.abs(change) < 0.2 ? "stable" : change > 0 ? "improving" : "worsening",
  };
  trajectory.start = first.score;
  trajectory.end = last.score;
  trajectory.lowest.score = lowest.score;
  return trajectory;
}
