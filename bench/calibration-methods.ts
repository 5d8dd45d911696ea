// The calibration methods of bench:calibration side by side on the held-out part: each method is
// fitted on the first part's verdicts, scores the held-out records, and is measured at one recall
// (the threshold placed on the held-out labels for every method alike, so only the order differs).
import { fitCovariateMap, type JudgedInteraction } from "../src/calibration/covariates.js";
import { auc } from "../src/calibration/logistic.js";
import { fitLogisticWeights } from "../src/calibration/moment-weights.js";
import { fitNoisyOr, momentRisk, type JudgedMoment } from "../src/calibration/noisy-or.js";
import { fitIsotonic, fitPlatt, probabilityOf, type CovariateMap } from "../src/calibration/probability.js";
import { wilson, type Estimate } from "../src/lib/wilson.js";

export interface Scored {
  score: number;
  positive: boolean;
}

/** Precision (with its Wilson interval) of the most precise threshold on `items` that keeps recall ≥ `recall` of `positives`. */
export function atRecall(items: Scored[], recall: number, positives = items.filter((i) => i.positive).length) {
  const sorted = [...items].sort((a, b) => b.score - a.score);
  let tp = 0;
  let fp = 0;
  let best: { precision: Estimate; recall: number; threshold: number } | null = null;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].positive) tp++;
    else fp++;
    if (i + 1 < sorted.length && sorted[i + 1].score === sorted[i].score) continue;
    const r = tp / Math.max(1, positives);
    if (r + 1e-12 < recall) continue;
    const p = wilson(tp, tp + fp);
    if (!best || (p.value ?? 0) > (best.precision.value ?? 0) + 1e-12)
      best = { precision: p, recall: r, threshold: sorted[i].score };
  }
  return best;
}

const pct = (x: number | null | undefined) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(1)} %`);

/** One line per method: precision at the recall, its interval, the points over the first (the baseline), and the AUC. */
export function printSideBySide(title: string, recall: number, methods: Array<[string, Scored[]]>, positives?: number) {
  console.log(`${title} — every method at recall ≥ ${pct(recall)} on the held-out part:`);
  let base: number | null = null;
  const out: Array<{ label: string; precision: number | null }> = [];
  for (const [label, items] of methods) {
    const r = atRecall(items, recall, positives);
    const p = r?.precision.value ?? null;
    if (base === null) base = p;
    const gain = p !== null && base !== null ? 100 * (p - base) : null;
    console.log(
      `  ${label.padEnd(52)} precision ${pct(p).padStart(7)} (${pct(r?.precision.low)}–${pct(r?.precision.high)})  recall ${pct(r?.recall).padStart(7)}  ${gain === null ? "" : `${gain >= 0 ? "+" : ""}${gain.toFixed(1)} pts`}  AUC ${auc(items).toFixed(3)}`,
    );
    out.push({ label, precision: p });
  }
  return out;
}

export interface MethodsInput {
  /** The held-out interactions, each tweet's label as the truth. */
  heldOut: JudgedInteraction[];
  /** The first part's verdicts as the server groups them, by risk to two decimals: what Platt and isotonic are fitted on. */
  points: Array<{ x: number; pos: number; neg: number }>;
  /** The logistic map with covariates fitted on the first part. */
  covariateMap: CovariateMap;
  /** The calibrated deployment's recall on the held-out interactions: every method is measured there. */
  recall: number;
  /** Complaints in the held-out part. */
  complaints: number;
  /** The moments the shipped rules raised on the held-out part. */
  heldOutMoments: JudgedMoment[];
  /** The moments judged on the first part. */
  judgedMoments: JudgedMoment[];
  shippedWeights: Record<string, number>;
  /** The calibrated deployment's moment recall (of all complaints) on the held-out part. */
  momentRecall: number;
}

/**
 * Every method side by side at one recall, interactions then moments, beside a bound (the same model
 * form fitted on the held-out labels themselves), and why the +10-point target is out of reach when it is.
 */
export function compareMethods({
  heldOut,
  points,
  covariateMap,
  recall,
  complaints,
  heldOutMoments,
  judgedMoments,
  shippedWeights,
  momentRecall,
}: MethodsInput) {
  // The most any logistic map over these covariates could do: fitted on the held-out part itself.
  const bound = fitCovariateMap(heldOut);
  const scoredBy = (f: (r: JudgedInteraction) => number) => heldOut.map((r) => ({ score: f(r), positive: r.positive }));
  const rI = printSideBySide(
    "interactions",
    recall,
    [
      ["uncalibrated risk", scoredBy((r) => r.risk)],
      ["Platt (first part)", scoredBy((r) => probabilityOf(fitPlatt(points), r.risk))],
      ["isotonic (first part)", scoredBy((r) => probabilityOf(fitIsotonic(points), r.risk))],
      ["logistic with covariates (first part)", scoredBy((r) => probabilityOf(covariateMap, r.risk, r.covariates))],
      ["bound: covariates fitted on the held-out part", scoredBy((r) => probabilityOf(bound, r.risk, r.covariates))],
    ],
    complaints,
  );
  const weights = Object.entries(covariateMap.covariates).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  console.log(
    `  covariates fitted on the first part (logit shift; slope on the model's logit ${covariateMap.slope}): ${
      weights
        .slice(0, 8)
        .map(([c, w]) => `${c} ${w >= 0 ? "+" : ""}${w.toFixed(2)}`)
        .join(", ") || "none kept"
    }`,
  );
  const best = Math.max(...rI.slice(1, 4).map((m) => m.precision ?? 0)) - (rI[0].precision ?? 0);
  const ceiling = (rI[4].precision ?? 0) - (rI[0].precision ?? 0);
  if (best < 0.1)
    console.log(
      `  below +10 points: the best method fitted on verdicts gains ${(100 * best).toFixed(1)}; even a logistic map fitted on the held-out labels themselves gains ${(100 * ceiling).toFixed(1)} (in-sample AUC ${auc(scoredBy((r) => probabilityOf(bound, r.risk, r.covariates))).toFixed(3)} against the model's ${auc(scoredBy((r) => r.risk)).toFixed(3)}), ${ceiling < 0.1 ? "so the covariates Earshot has (one channel here, the complaint reasons and needs the analysis found) carry too little the model's probability does not to reach it" : "so the covariates could reach it, but a fit on the first part's verdicts does not carry over to the rest"}; at ${pct(rI[0].precision)} the uncalibrated precision leaves ${(100 * (1 - (rI[0].precision ?? 0))).toFixed(1)} points in all.`,
    );

  const mHeld = heldOutMoments;
  const mScored = (w: Record<string, number>) =>
    mHeld.map((m) => ({ score: momentRisk(w, m.strengths), positive: m.confirmed }));
  const boundW = fitLogisticWeights(mHeld, shippedWeights);
  const rM = printSideBySide(
    `moments (the ${mHeld.length} the shipped rules raised on the held-out part, reordered by each method's weights; recall of all complaints)`,
    momentRecall,
    [
      ["shipped weights", mScored(shippedWeights)],
      ["noisy-OR likelihood (first part)", mScored(fitNoisyOr(judgedMoments, shippedWeights))],
      ["logistic weights (first part)", mScored(fitLogisticWeights(judgedMoments, shippedWeights))],
      ["bound: weights fitted on the held-out part", mScored(boundW)],
    ],
    complaints,
  );
  const present = (code: string) => mHeld.filter((m) => (m.strengths[code] ?? 0) > 0).length;
  console.log(
    `  signals on those moments: ${Object.keys(shippedWeights)
      .map((c) => `${c} ${present(c)}`)
      .join(", ")}`,
  );
  const mBest = Math.max(...rM.slice(1, 3).map((m) => m.precision ?? 0)) - (rM[0].precision ?? 0);
  const mCeiling = (rM[3].precision ?? 0) - (rM[0].precision ?? 0);
  if (mBest < 0.1)
    console.log(
      `  below +10 points: the best refit gains ${(100 * mBest).toFixed(1)}, and weights fitted on the held-out labels themselves ${(100 * mCeiling).toFixed(1)}${mCeiling < 0.1 ? ": public tweets give the journey signals little to say (the counts above), so a moment's order is mostly its contact's risk, which no weighting of the signals can reorder" : ": the signals could reach it, but weights fitted on the first part do not carry over"}.`,
    );
}

/** Brier score and expected calibration error (10 equal bins) of each probability map on the held-out interactions. */
export function printProbabilityFit(
  heldOut: JudgedInteraction[],
  points: Array<{ x: number; pos: number; neg: number }>,
  covariateMap: CovariateMap,
  chosen: string | undefined,
) {
  const maps: Array<[string, (risk: number, covariates: string[]) => number]> = [
    ["uncalibrated (the model's probability)", (r) => r],
    ["Platt, fitted on the first part", (r) => probabilityOf(fitPlatt(points), r)],
    ["isotonic, fitted on the first part", (r) => probabilityOf(fitIsotonic(points), r)],
    ["logistic with covariates, fitted on the first part", (r, c) => probabilityOf(covariateMap, r, c)],
  ];
  console.log("probabilities: Brier score, expected calibration error (10 equal bins)");
  for (const [label, p] of maps) {
    let brier = 0;
    const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
    for (const i of heldOut) {
      const q = p(Math.round(i.risk * 100) / 100, i.covariates);
      const y = i.positive ? 1 : 0;
      brier += (q - y) ** 2;
      const b = bins[Math.min(9, Math.floor(q * 10))];
      b.n++;
      b.p += q;
      b.y += y;
    }
    const ece = bins.reduce((s, b) => s + (b.n ? Math.abs(b.p - b.y) : 0), 0) / heldOut.length;
    const mark = chosen && label.toLowerCase().startsWith(chosen) ? "  ← chosen" : "";
    console.log(`  ${label.padEnd(44)} Brier ${(brier / heldOut.length).toFixed(4)}  ECE ${ece.toFixed(4)}${mark}`);
  }
}
