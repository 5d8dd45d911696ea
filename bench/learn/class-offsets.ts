// Calibration and per-class offsets of a multi-class model by cross-validation on the training rows
// alone, so every row is trained on (none is set aside to calibrate on): each head's Platt scaling is
// fitted on its out-of-fold logits, and since each head is calibrated on its own, the argmax over
// heads can favour one class (Spanish tweets: positive over neutral); the offsets that maximise the
// out-of-fold macro-F1 correct that, and are added to each head's calibration intercept.
import { macroF1Of } from "./metrics.js";
import { type Example, fitPlatt } from "./sgd.js";

const STEP = 0.1;
const RANGE = 1;

export interface CrossValidated {
  /** Per head: Platt scaling fitted on the first split's out-of-fold logits. */
  calibration: Array<{ a: number; b: number }>;
  /** Per head (the first is 0): added to the calibrated log-odds. */
  offsets: number[];
}

/**
 * `fitFold(train)` trains on a fold's rows and returns every head's raw logit for an example;
 * `repeats[r][i]` is row i's fold in the r-th split. The out-of-fold logits of every split are
 * pooled before the offsets' search: the offsets one 5-fold split picks swing by half a unit from
 * split to split (2,136 tweets), their pooled choice much less.
 */
export function crossValidated(
  examples: Example[],
  repeats: number[][],
  heads: number,
  fitFold: (train: Example[]) => (ex: Example) => number[],
): CrossValidated {
  const gold: number[] = [];
  const logits: number[][] = [];
  const firstSplit = examples.length;
  for (const folds of repeats) {
    const k = Math.max(...folds) + 1;
    for (let fold = 0; fold < k; fold++) {
      const predict = fitFold(examples.filter((_, i) => folds[i] !== fold));
      examples.forEach((ex, i) => {
        if (folds[i] !== fold) return;
        gold.push(ex.labels.indexOf(1));
        logits.push(predict(ex));
      });
    }
  }
  const calibration = Array.from({ length: heads }, (_, h) =>
    fitPlatt(
      logits.slice(0, firstSplit).map((z) => z[h]),
      gold.slice(0, firstSplit).map((g) => (g === h ? 1 : 0)),
    ),
  );
  const logOdds = logits.map((z) => z.map((v, h) => calibration[h].a * v + calibration[h].b));
  return { calibration, offsets: searchOffsets(gold, logOdds, heads) };
}

/** The offsets (the first head's 0) that maximise macro-F1 of the argmax over `logOdds` + offsets. */
function searchOffsets(gold: number[], logOdds: number[][], heads: number): number[] {
  const predict = (offsets: number[]) =>
    logOdds.map((z) => {
      let best = 0;
      for (let h = 1; h < heads; h++) if (z[h] + offsets[h] > z[best] + offsets[best]) best = h;
      return best;
    });
  let best = new Array<number>(heads).fill(0);
  let bestF1 = macroF1Of(gold, predict(best), heads);
  // Coordinate search over the grid, one head at a time, two rounds.
  for (let round = 0; round < 2; round++)
    for (let h = 1; h < heads; h++)
      for (let v = -RANGE; v <= RANGE + 1e-9; v += STEP) {
        const trial = best.slice();
        trial[h] = Math.round(v * 10) / 10;
        const f = macroF1Of(gold, predict(trial), heads);
        if (f > bestF1 + 1e-9) {
          bestF1 = f;
          best = trial;
        }
      }
  return best;
}
