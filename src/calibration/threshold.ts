// Placing a threshold and severity bands on calibrated scores. Pure.

export interface Labelled {
  score: number;
  positive: boolean;
}

/**
 * The threshold with the highest precision among those that keep recall at or above `minRecall`
 * (ties go to the lower threshold, which flags more). Candidates are the scores themselves, so the
 * answer is exact on the data; null when no candidate keeps the recall.
 */
export function thresholdKeepingRecall(
  items: Labelled[],
  minRecall: number,
): { threshold: number; precision: number; recall: number } | null {
  const positives = items.filter((i) => i.positive).length;
  if (positives === 0) return null;
  const sorted = [...items].sort((a, b) => b.score - a.score);
  let tp = 0;
  let fp = 0;
  let best: { threshold: number; precision: number; recall: number } | null = null;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].positive) tp++;
    else fp++;
    // A threshold sits at a score only once every item with that score is counted.
    if (i + 1 < sorted.length && sorted[i + 1].score === sorted[i].score) continue;
    const recall = tp / positives;
    const precision = tp / (tp + fp);
    if (recall >= minRecall && (!best || precision > best.precision + 1e-12))
      best = { threshold: sorted[i].score, precision, recall };
  }
  return best;
}

/** The share of flags each band is cut to hold over a calibration's window; the other half are low. */
export const DEFAULT_SEVERITY_SHARES = { critical: 0.05, high: 0.15, medium: 0.3 };
export type SeverityShares = typeof DEFAULT_SEVERITY_SHARES;
export type SeverityCuts = { low: number; medium: number; high: number; critical: number };

const MAX_DECIMALS = 6;
const roundTo = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;
const floorTo = (x: number, d: number) => Math.floor(x * 10 ** d + 1e-9) / 10 ** d;

/**
 * The shortest cut (two to six decimals) that a score of `upper` reaches and one of `lower` does not,
 * compared at the cut's own precision as the scorer compares (reachesCut in src/journeys/journey-risk.ts);
 * null when the two cannot be told apart at six decimals.
 */
export function cutBetween(upper: number, lower: number): number | null {
  for (let d = 2; d <= MAX_DECIMALS; d++) {
    const c = floorTo(upper, d);
    if (roundTo(lower, d) < c && roundTo(upper, d) >= c) return c;
  }
  return null;
}

/**
 * Severity bands from the unrounded scores of what the threshold flags over the fit window: critical
 * cut to hold the top `shares.critical` of them, high the next `shares.high`, medium the next
 * `shares.medium`, low the rest from the threshold. Scores tie (one combination of signals gives one
 * score), so a cut can only fall between distinct scores: each band takes the cut whose count is
 * nearest its target (on a tie, the smaller count: a band errs towards rare), under the band above it.
 * A cut is as short as separates the scores on either side of it, down to six decimals, since
 * refitted weights put many moments above 0.99. Bands rise strictly and stay at most 1.
 */
export function severityBands(
  flaggedScores: number[],
  threshold: number,
  shares: SeverityShares = DEFAULT_SEVERITY_SHARES,
): SeverityCuts {
  const low = roundTo(threshold, 2);
  const s = flaggedScores.filter((x) => roundTo(x, 2) >= low).sort((a, b) => b - a);
  if (s.length === 0)
    return {
      low,
      medium: roundTo(Math.min(1, low + 0.1), 2),
      high: roundTo(Math.min(1, low + 0.2), 2),
      critical: roundTo(Math.min(1, low + 0.3), 2),
    };
  // Candidate cuts, highest first: above every score (the band holds none), then between each run of
  // tied scores and the next lower one (the band holds every score down to that run).
  const candidates: Array<{ cut: number; count: number }> = [];
  const top = s[0];
  for (let d = 2; d <= MAX_DECIMALS; d++) {
    const c = roundTo(roundTo(top, d) + 10 ** -d, d);
    if (c <= 1) {
      candidates.push({ cut: c, count: 0 });
      break;
    }
  }
  for (let i = 0; i < s.length; i++) {
    if (i + 1 < s.length && s[i + 1] === s[i]) continue;
    const cut = i + 1 < s.length ? cutBetween(s[i], s[i + 1]) : Math.max(low, floorTo(s[i], 2));
    if (cut !== null) candidates.push({ cut, count: i + 1 });
  }
  const n = s.length;
  const pick = (target: number, above: { cut: number; count: number } | null) => {
    let best: { cut: number; count: number } | null = null;
    for (const c of candidates) {
      if (above && !(c.cut < above.cut && c.count >= above.count)) continue;
      if (c.cut <= low) continue;
      if (!best || Math.abs(c.count - target) < Math.abs(best.count - target) - 1e-9) best = c;
    }
    return best;
  };
  const critical = pick(shares.critical * n, null) ?? { cut: 1, count: 0 };
  const high = pick((shares.critical + shares.high) * n, critical) ?? critical;
  const medium = pick((shares.critical + shares.high + shares.medium) * n, high) ?? high;
  return { low, medium: medium.cut, high: high.cut, critical: critical.cut };
}
