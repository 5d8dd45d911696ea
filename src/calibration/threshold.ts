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

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))];

/**
 * Severity bands from the scores of what the threshold flags: low from the threshold, medium from the
 * median flag, high from the 80th percentile, critical from the 95th, so "critical" is one flag in
 * twenty whatever the deployment's traffic. Bands rise strictly (by at least 0.01) and stay at most 1.
 */
export function severityBands(
  flaggedScores: number[],
  threshold: number,
): { low: number; medium: number; high: number; critical: number } {
  const s = [...flaggedScores].filter((x) => x >= threshold).sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  const low = r(threshold);
  const at = (q: number, fallback: number) => (s.length ? r(quantile(s, q)) : fallback);
  const medium = Math.min(1, Math.max(low + 0.01, at(0.5, low + 0.1)));
  const high = Math.min(1, Math.max(medium + 0.01, at(0.8, medium + 0.1)));
  const critical = Math.min(1, Math.max(high + 0.01, at(0.95, high + 0.1)));
  return { low, medium: r(medium), high: r(high), critical: r(critical) };
}
