// Fitting the moment rules' signal weights to agents' verdicts. A moment's risk combines its reasons
// as 1 - prod(1 - weight * strength) (src/journeys/journey-risk.ts): a noisy-OR, which read as a
// probability model can be fitted by maximum likelihood. Pure: judged moments in, weights out.

/** One judged moment: each signal's strength (0..1) and whether agents confirmed it. */
export interface JudgedMoment {
  strengths: Record<string, number>;
  confirmed: boolean;
}

export const noisyOr = (weights: Record<string, number>, strengths: Record<string, number>) => {
  let calm = 1;
  for (const [code, s] of Object.entries(strengths)) calm *= 1 - Math.min(1, (weights[code] ?? 0) * s);
  return 1 - calm;
};

const MIN_WEIGHT = 0.01;
// Below 1: a signal at weight 1 alone makes any moment certain, and every band collapses onto it.
const MAX_WEIGHT = 0.95;

/**
 * Weights maximising the log-likelihood of the verdicts, with an L2 pull (`prior`) towards the
 * weights in force, so a signal few verdicts mention keeps about its weight and one no verdict
 * mentions keeps it exactly. Projected gradient ascent with a decaying step, inside (0, 1] as the
 * rules file requires.
 */
export function fitNoisyOr(
  data: JudgedMoment[],
  start: Record<string, number>,
  opts: { prior?: number; iterations?: number } = {},
): Record<string, number> {
  const prior = opts.prior ?? 10;
  const iterations = opts.iterations ?? 400;
  const w = { ...start };
  const seen = new Set<string>();
  for (const d of data) for (const [c, s] of Object.entries(d.strengths)) if (s > 0) seen.add(c);
  const codes = [...seen].filter((c) => c in w);
  const n = Math.max(1, data.length);
  for (let it = 0; it < iterations; it++) {
    const grad: Record<string, number> = {};
    for (const c of codes) grad[c] = -2 * prior * (w[c] - start[c]);
    for (const d of data) {
      let calm = 1;
      for (const [c, s] of Object.entries(d.strengths)) calm *= 1 - Math.min(0.999999, (w[c] ?? 0) * s);
      calm = Math.min(1 - 1e-6, Math.max(1e-6, calm));
      // d log-likelihood / d w_c = s_c / (1 - w_c s_c) * (y q / (1 - q) - (1 - y)), with q = calm.
      const factor = d.confirmed ? calm / (1 - calm) : -1;
      for (const [c, s] of Object.entries(d.strengths)) {
        if (!(c in grad) || s <= 0) continue;
        grad[c] += (s / Math.max(1e-6, 1 - (w[c] ?? 0) * s)) * factor;
      }
    }
    const step = 0.5 / (n * (1 + it / 50));
    for (const c of codes) w[c] = Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, w[c] + step * grad[c]));
  }
  for (const c of codes) w[c] = Math.round(w[c] * 100) / 100;
  return w;
}

/**
 * A moment's score as the scorer computes it (src/journeys/journey-risk.ts), unrounded: each reason's
 * weight rounded to two decimals and dropped below 0.03. Severity bands are cut on this.
 */
export function momentScore(weights: Record<string, number>, strengths: Record<string, number>): number {
  let calm = 1;
  for (const [code, s] of Object.entries(strengths)) {
    const w = Math.round((weights[code] ?? 0) * Math.min(1, Math.max(0, s)) * 100) / 100;
    if (w >= 0.03) calm *= 1 - w;
  }
  return 1 - calm;
}

/**
 * A moment's risk as the scorer shows and flags it: momentScore rounded to two decimals. Thresholds
 * are placed and effects counted on this, so they agree with what scoring will flag.
 */
export function momentRisk(weights: Record<string, number>, strengths: Record<string, number>): number {
  return Math.round(momentScore(weights, strengths) * 100) / 100;
}
