// The figures bench:quality reports, as small pure functions (tested against hand-computed values in
// test/bench-metrics.test.ts). Each follows the usual definition (scikit-learn's where it has one).

/** F1 from counts; 0 when nothing was found and nothing was there to find, as scikit-learn reports it. */
export function f1(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

function checkLengths(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  if (a.length === 0) throw new Error("no examples");
}

/** The unweighted mean of each class's F1 (single-label classification). */
export function macroF1<C>(gold: readonly C[], pred: readonly C[], classes: readonly C[]): number {
  checkLengths(gold, pred);
  let sum = 0;
  for (const c of classes) {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c) gold[i] === c ? tp++ : fp++;
      else if (gold[i] === c) fn++;
    }
    sum += f1(tp, fp, fn);
  }
  return sum / classes.length;
}

/**
 * The unweighted mean of each class's recall: SemEval's and TweetEval's sentiment metric, which a
 * classifier that always answers the majority class scores 1/k on.
 */
export function macroRecall<C>(gold: readonly C[], pred: readonly C[], classes: readonly C[]): number {
  checkLengths(gold, pred);
  let sum = 0;
  for (const c of classes) {
    let n = 0,
      hit = 0;
    for (let i = 0; i < gold.length; i++) {
      if (gold[i] !== c) continue;
      n++;
      if (pred[i] === c) hit++;
    }
    if (n === 0) throw new Error(`no gold examples of class ${String(c)}`);
    sum += hit / n;
  }
  return sum / classes.length;
}

/** Per-label F1 over examples that may carry several labels (or none), and their mean. */
export function multiLabelF1<L>(
  gold: ReadonlyArray<ReadonlySet<L>>,
  pred: ReadonlyArray<ReadonlySet<L>>,
  labels: readonly L[],
): { mean: number; perLabel: Map<L, number> } {
  checkLengths(gold, pred);
  const perLabel = new Map<L, number>();
  for (const l of labels) {
    let tp = 0,
      fp = 0,
      fn = 0;
    for (let i = 0; i < gold.length; i++) {
      const g = gold[i].has(l),
        p = pred[i].has(l);
      if (p && g) tp++;
      else if (p) fp++;
      else if (g) fn++;
    }
    perLabel.set(l, f1(tp, fp, fn));
  }
  return { mean: [...perLabel.values()].reduce((a, b) => a + b, 0) / labels.length, perLabel };
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half (the Mann–Whitney U statistic over the positives' mid-ranks).
 */
export function auc(scores: readonly number[], positive: readonly boolean[]): number {
  checkLengths(scores, positive);
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0,
    nPos = 0;
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // ranks start at 1
    for (let k = i; k <= j; k++) {
      if (positive[order[k]]) {
        rankSum += midRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = scores.length - nPos;
  if (nPos === 0 || nNeg === 0) throw new Error("AUC needs positives and negatives");
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Mean squared difference between a predicted probability and what happened (1 or 0). */
export function brier(probs: readonly number[], outcome: readonly boolean[]): number {
  checkLengths(probs, outcome);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += (probs[i] - (outcome[i] ? 1 : 0)) ** 2;
  return sum / probs.length;
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin (NaN when empty). */
  meanPredicted: number;
  /** Share of the bin's examples that were positive (NaN when empty). */
  observed: number;
}

/** Equal-width bins over [0, 1]; bin i holds [i/n, (i+1)/n), the last one includes 1. */
export function reliabilityBins(probs: readonly number[], outcome: readonly boolean[], bins = 10): ReliabilityBin[] {
  checkLengths(probs, outcome);
  const count = new Array<number>(bins).fill(0),
    sumP = new Array<number>(bins).fill(0),
    pos = new Array<number>(bins).fill(0);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    if (!(p >= 0 && p <= 1)) throw new Error(`probability out of [0, 1]: ${p}`);
    const b = Math.min(bins - 1, Math.floor(p * bins));
    count[b]++;
    sumP[b] += p;
    if (outcome[i]) pos[b]++;
  }
  return count.map((n, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: n,
    meanPredicted: sumP[b] / n,
    observed: pos[b] / n,
  }));
}

/** Expected calibration error: the bins' |mean predicted − observed rate|, weighted by their share of examples. */
export function ece(probs: readonly number[], outcome: readonly boolean[], bins = 10): number {
  let sum = 0;
  for (const b of reliabilityBins(probs, outcome, bins))
    if (b.count > 0) sum += (b.count / probs.length) * Math.abs(b.meanPredicted - b.observed);
  return sum;
}

/** Bins of several disjoint samples pooled into one (each sample's bins computed apart). */
export function poolBins(samples: ReliabilityBin[][]): ReliabilityBin[] {
  return samples[0].map((first, b) => {
    let count = 0,
      sumP = 0,
      pos = 0;
    for (const bins of samples) {
      if (bins[b].count === 0) continue;
      count += bins[b].count;
      sumP += bins[b].meanPredicted * bins[b].count;
      pos += bins[b].observed * bins[b].count;
    }
    return { lower: first.lower, upper: first.upper, count, meanPredicted: sumP / count, observed: pos / count };
  });
}
