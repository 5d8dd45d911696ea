// The moment rules' signal weights fitted two ways and measured on held-out verdicts. Pure.
import { auc, fitLogistic } from "./logistic.js";
import { fitNoisyOr, momentRisk, type JudgedMoment } from "./noisy-or.js";

const MIN_WEIGHT = 0.01;
const MAX_WEIGHT = 0.95;

/**
 * Signal weights from a regularised logistic regression of the verdicts on the signals' strengths,
 * with coefficients kept ≥ 0 (a signal may only add risk, as in the rules file). A noisy-OR ranks
 * moments by Σ −log(1 − wᵢ·sᵢ) ≈ Σ −log(1 − wᵢ)·sᵢ, so coefficients βᵢ are written back as
 * wᵢ = 1 − e^(−c·βᵢ): the same order for on/off signals. The scale c puts the largest weight at 0.95;
 * the threshold is placed afterwards on the scores these weights give, so the scale does not move it.
 * Unlike the noisy-OR likelihood, this needs no prior towards the weights in force: only the ratio of
 * the weights matters to the order, and the fit is free to find it. A signal no verdict mentions keeps
 * its weight in force.
 */
export function fitLogisticWeights(data: JudgedMoment[], start: Record<string, number>, l2 = 1) {
  const fit = fitLogistic(
    data.map((d) => ({ x: d.strengths, y: d.confirmed })),
    { l2, nonNegative: true },
  );
  const max = Math.max(0, ...Object.values(fit.coef));
  const w = { ...start };
  if (max <= 0) return w;
  const c = -Math.log(1 - MAX_WEIGHT) / max;
  for (const [code, b] of Object.entries(fit.coef))
    if (code in w) w[code] = Math.round(Math.min(MAX_WEIGHT, Math.max(MIN_WEIGHT, 1 - Math.exp(-c * b))) * 100) / 100;
  return w;
}

export type MomentMethod = "noisy_or" | "logistic";

/**
 * Both fits measured by k-fold cross-validation on the same judged moments: each fold's weights score
 * the held-out moments exactly as the scorer would (momentRisk), and the area under the ROC curve of
 * those scores is compared. A moment is flagged by a threshold on its score, so the order is what
 * counts; the method whose held-out order is better is chosen (ties: the noisy-OR, the shipped form).
 */
export function chooseMomentWeights(data: JudgedMoment[], start: Record<string, number>, folds = 5) {
  const fitters: Record<MomentMethod, (d: JudgedMoment[]) => Record<string, number>> = {
    noisy_or: (d) => fitNoisyOr(d, start),
    logistic: (d) => fitLogisticWeights(d, start),
  };
  const measured = {} as Record<MomentMethod, { auc: number }>;
  for (const m of ["noisy_or", "logistic"] as MomentMethod[]) {
    const scored: Array<{ score: number; positive: boolean }> = [];
    for (let k = 0; k < folds; k++) {
      const weights = fitters[m](data.filter((_, i) => i % folds !== k));
      for (let i = k; i < data.length; i += folds)
        scored.push({ score: momentRisk(weights, data[i].strengths), positive: data[i].confirmed });
    }
    measured[m] = { auc: Math.round(auc(scored) * 10_000) / 10_000 };
  }
  const inForce = {
    auc:
      Math.round(auc(data.map((d) => ({ score: momentRisk(start, d.strengths), positive: d.confirmed }))) * 10_000) /
      10_000,
  };
  const chosen: MomentMethod = measured.logistic.auc > measured.noisy_or.auc ? "logistic" : "noisy_or";
  return { weights: fitters[chosen](data), measured, inForce, chosen };
}
