// The calibration methods of bench:calibration side by side on the held-out part: each method is
// fitted on the first part's verdicts, scores the held-out records, and is measured at one recall
// (the threshold placed on the held-out labels for every method alike, so only the order differs).
import { auc } from "../src/calibration/logistic.js";
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
