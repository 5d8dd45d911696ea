// Figures the training script prints: ranking AUC, F1 and macro-F1 at a threshold, macro recall.
import { macroF1 } from "../metrics.js";

/** Area under the ROC curve: the chance a random positive outranks a random negative (ties count half). */
export function auc(scores: number[], gold: boolean[]): number {
  const idx = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && scores[idx[j]] === scores[idx[i]]) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (gold[idx[k]]) {
        rankSum += rank;
        pos++;
      }
    i = j;
  }
  const neg = idx.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : NaN;
}

export function f1(pred: boolean[], gold: boolean[]): number {
  let tp = 0,
    fp = 0,
    fn = 0;
  pred.forEach((p, i) => {
    if (p && gold[i]) tp++;
    else if (p) fp++;
    else if (gold[i]) fn++;
  });
  return tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
}

/** Mean of the F1 of "yes" and of "no". */
export const binaryMacroF1 = (pred: boolean[], gold: boolean[]) =>
  (f1(pred, gold) +
    f1(
      pred.map((p) => !p),
      gold.map((g) => !g),
    )) /
  2;

/** The threshold (to 2 decimals) that maximises `score` of the predictions `p >= t`. */
export function bestThreshold(
  p: number[],
  gold: boolean[],
  score: (pred: boolean[], gold: boolean[]) => number,
): number {
  let best = 0.5,
    bestScore = -1;
  for (let t = 0.05; t <= 0.951; t += 0.01) {
    const s = score(
      p.map((x) => x >= t),
      gold,
    );
    if (s > bestScore) {
      bestScore = s;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

export function macroRecall<T>(pred: T[], gold: T[], classes: T[]): number {
  return (
    classes.reduce((sum, c) => {
      const n = gold.filter((g) => g === c).length;
      return sum + (n ? pred.filter((p, i) => p === c && gold[i] === c).length / n : 0);
    }, 0) / classes.length
  );
}

export const brier = (p: number[], gold: boolean[]) =>
  p.reduce((s, x, i) => s + (x - (gold[i] ? 1 : 0)) ** 2, 0) / p.length;

/** Macro-F1 over classes 0..k-1 of class indices. */
export const macroF1Of = (gold: number[], pred: number[], k: number): number =>
  macroF1(
    gold,
    pred,
    Array.from({ length: k }, (_, c) => c),
  );
