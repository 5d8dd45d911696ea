// Maps from a stored complaint risk to the probability that agents would confirm the flag: Platt
// scaling (a logistic curve, two parameters) and isotonic regression (a monotone step curve). Pure:
// weighted points in, a map out. Both keep the order of risks, so neither changes which
// interactions rank above which; they make the score mean a probability and place the threshold.

/** Verdicts at one risk: how many were complaints (confirmed or missed) and how many were not. */
export interface WeightedPoint {
  x: number;
  pos: number;
  neg: number;
}

export type ProbabilityMap =
  | { method: "platt"; a: number; b: number }
  | { method: "isotonic"; xs: number[]; ps: number[] }
  | CovariateMap;

/**
 * Logistic calibration with covariates (src/calibration/covariates.ts): p = σ(intercept + slope ·
 * logit(risk) + Σ weight of each covariate present). The covariates make it reorder interactions.
 */
export interface CovariateMap {
  method: "logistic";
  intercept: number;
  slope: number;
  /** By covariate (`channel:social`, `reason:public_complaint`, `need:refund`): its shift of the logit. */
  covariates: Record<string, number>;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The logit of a risk, clipped to [0.01, 0.99] so a risk of 0 or 1 stays finite. */
export const logitOf = (risk: number) => {
  const p = Math.min(0.99, Math.max(0.01, risk));
  return Math.log(p / (1 - p));
};

/**
 * Platt scaling, p = 1 / (1 + exp(-(a x + b))), fitted by Newton's method on the weighted log loss
 * with Platt's smoothed targets ((N+ + 1) / (N+ + 2) for complaints, 1 / (N- + 2) for the others),
 * which keep the fit finite when the two classes separate.
 * @see Platt (1999), "Probabilistic outputs for support vector machines", and Lin, Lin & Weng (2007).
 */
export function fitPlatt(points: WeightedPoint[]): ProbabilityMap {
  let nPos = 0;
  let nNeg = 0;
  for (const p of points) {
    nPos += p.pos;
    nNeg += p.neg;
  }
  const tPos = (nPos + 1) / (nPos + 2);
  const tNeg = 1 / (nNeg + 2);
  let a = 0;
  let b = Math.log((nPos + 1) / (nNeg + 1));
  for (let iter = 0; iter < 100; iter++) {
    let g1 = 0,
      g2 = 0,
      h11 = 1e-9,
      h22 = 1e-9,
      h12 = 0;
    for (const p of points) {
      const q = sigmoid(a * p.x + b);
      const w = (p.pos + p.neg) * q * (1 - q);
      // Gradient of the log loss: each point's count times (prediction - target).
      const d = p.pos * (q - tPos) + p.neg * (q - tNeg);
      g1 += d * p.x;
      g2 += d;
      h11 += w * p.x * p.x;
      h22 += w;
      h12 += w * p.x;
    }
    const det = h11 * h22 - h12 * h12;
    if (Math.abs(det) < 1e-12) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) < 1e-9 && Math.abs(db) < 1e-9) break;
  }
  return { method: "platt", a, b };
}

/**
 * Isotonic regression by pool-adjacent-violators: the non-decreasing step curve closest (weighted
 * least squares) to the observed complaint rate at each risk, each step's rate smoothed (below). Between steps the probability is
 * interpolated linearly; beyond the ends it is the end value.
 * @see Zadrozny & Elkan (2002), "Transforming classifier scores into accurate multiclass probability estimates".
 */
export function fitIsotonic(points: WeightedPoint[]): ProbabilityMap {
  const sorted = points.filter((p) => p.pos + p.neg > 0).sort((p, q) => p.x - q.x);
  const blocks: Array<{ x0: number; x1: number; sum: number; w: number }> = [];
  for (const p of sorted) {
    blocks.push({ x0: p.x, x1: p.x, sum: p.pos, w: p.pos + p.neg });
    while (
      blocks.length > 1 &&
      blocks[blocks.length - 2].sum / blocks[blocks.length - 2].w >=
        blocks[blocks.length - 1].sum / blocks[blocks.length - 1].w
    ) {
      const last = blocks.pop()!;
      const prev = blocks[blocks.length - 1];
      prev.x1 = last.x1;
      prev.sum += last.sum;
      prev.w += last.w;
    }
  }
  const xs: number[] = [];
  const ps: number[] = [];
  let floor = 0;
  for (const b of blocks) {
    // A block's rate is smoothed as Platt smooths his targets, (k + 1) / (n + 2): a block of three
    // false alarms says "rarely", not "never", and one complaint later at that risk costs a bounded
    // log loss instead of an infinite one. The running maximum keeps the smoothed curve monotone.
    const rate = round4(Math.max(floor, (b.sum + 1) / (b.w + 2)));
    floor = rate;
    // Each block is flat across its span: both ends carry its rate, so interpolation happens only between blocks.
    xs.push(b.x0);
    ps.push(rate);
    if (b.x1 > b.x0) {
      xs.push(b.x1);
      ps.push(rate);
    }
  }
  return { method: "isotonic", xs, ps };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** The probability of a complaint at risk `x`; `covariates` are what a logistic map adds (absent: none present). */
export function probabilityOf(map: ProbabilityMap, x: number, covariates: readonly string[] = []): number {
  if (map.method === "platt") return sigmoid(map.a * x + map.b);
  if (map.method === "logistic") {
    let z = map.intercept + map.slope * logitOf(x);
    for (const c of covariates) z += map.covariates[c] ?? 0;
    return sigmoid(z);
  }
  const { xs, ps } = map;
  if (xs.length === 0) return x;
  if (x <= xs[0]) return ps[0];
  if (x >= xs[xs.length - 1]) return ps[ps.length - 1];
  let hi = 1;
  while (xs[hi] < x) hi++;
  const lo = hi - 1;
  const t = (x - xs[lo]) / (xs[hi] - xs[lo] || 1);
  return ps[lo] + t * (ps[hi] - ps[lo]);
}

/** Mean log loss and Brier score of `map` on the points (probabilities clipped to [1e-6, 1 - 1e-6]). */
export function scoreMap(map: ProbabilityMap, points: WeightedPoint[]): { logLoss: number; brier: number; n: number } {
  let ll = 0;
  let brier = 0;
  let n = 0;
  for (const p of points) {
    const q = Math.min(1 - 1e-6, Math.max(1e-6, probabilityOf(map, p.x)));
    ll -= p.pos * Math.log(q) + p.neg * Math.log(1 - q);
    brier += p.pos * (1 - q) ** 2 + p.neg * q ** 2;
    n += p.pos + p.neg;
  }
  return n ? { logLoss: ll / n, brier: brier / n, n } : { logLoss: 0, brier: 0, n: 0 };
}

/**
 * Both methods measured by k-fold cross-validation on the same verdicts (each verdict in one fold,
 * dealt in turn within each risk), and the one with the lower held-out log loss chosen: isotonic
 * follows any monotone shape but needs more verdicts to be stable, Platt is smooth and stable on few.
 */
export function chooseProbabilityMap(points: WeightedPoint[], folds = 5) {
  const trainOf = (k: number) =>
    points.map((p) => ({ x: p.x, pos: p.pos - share(p.pos, k, folds), neg: p.neg - share(p.neg, k, folds) }));
  const testOf = (k: number) =>
    points.map((p) => ({ x: p.x, pos: share(p.pos, k, folds), neg: share(p.neg, k, folds) }));
  const measured = (fitter: (ps: WeightedPoint[]) => ProbabilityMap) => {
    let ll = 0,
      brier = 0,
      n = 0;
    for (let k = 0; k < folds; k++) {
      const s = scoreMap(fitter(trainOf(k)), testOf(k));
      ll += s.logLoss * s.n;
      brier += s.brier * s.n;
      n += s.n;
    }
    return { logLoss: round4(ll / Math.max(1, n)), brier: round4(brier / Math.max(1, n)) };
  };
  const platt = measured(fitPlatt);
  const isotonic = measured(fitIsotonic);
  const method = isotonic.logLoss < platt.logLoss ? "isotonic" : "platt";
  return {
    map: method === "platt" ? fitPlatt(points) : fitIsotonic(points),
    measured: { platt, isotonic },
    chosen: method as "platt" | "isotonic",
  };
}

/** How many of `count` verdicts at one risk fall in fold `k` when they are dealt round-robin. */
const share = (count: number, k: number, folds: number) => Math.floor(count / folds) + (k < count % folds ? 1 : 0);
