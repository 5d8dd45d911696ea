/**
 * A proportion measured from `hits` of `n` trials, with its Wilson score interval. The Wilson interval
 * stays inside [0, 1] and keeps a sensible width at the small counts verdicts come in (5 of 6 is not
 * "83 % ± 30 %" but 44 %–97 %), where the normal approximation does neither.
 * @see https://en.wikipedia.org/wiki/Binomial_proportion_confidence_interval#Wilson_score_interval
 */
export interface Estimate {
  n: number;
  hits: number;
  /** hits / n; null when there is nothing to measure. */
  value: number | null;
  low: number | null;
  high: number | null;
}

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959964;

export function wilson(hits: number, n: number, z = Z95): Estimate {
  if (n <= 0) return { n: 0, hits: 0, value: null, low: null, high: null };
  const p = hits / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n, hits, value: r(p), low: r(Math.max(0, centre - half)), high: r(Math.min(1, centre + half)) };
}
