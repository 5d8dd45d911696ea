// Label balance for the binary heads of the language models (bench/train.ts).
import type { Example } from "./sgd.js";

/**
 * The examples with the rarer label of the first head repeated until both labels weigh alike, so a
 * binary model learns no prior from its training domain (hotel reviews are two thirds positive,
 * delivery reviews two thirds negative) and its calibration keeps none either. With `groups` (a
 * text's length band), the labels are balanced within each band, so the model cannot learn length
 * either: complaints run longer than praise in both review sets, and a model that learnt it reads a
 * domain of longer texts (hotel reviews are five times a delivery review's length) as negative.
 */
export function balanced(xs: Example[], groups?: number[]): Example[] {
  if (groups) {
    const bands = new Map<number, Example[]>();
    xs.forEach((x, i) => {
      const band = bands.get(groups[i]);
      if (band) band.push(x);
      else bands.set(groups[i], [x]);
    });
    // A band holding one label only would teach its length as that label: it is left out.
    return [...bands.keys()].sort((a, b) => a - b).flatMap((k) => balancedLabels(bands.get(k)!, []));
  }
  return balancedLabels(xs, xs);
}

function balancedLabels(xs: Example[], ifOneLabel: Example[]): Example[] {
  const pos = xs.filter((x) => x.labels[0] === 1);
  const neg = xs.filter((x) => x.labels[0] === 0);
  const [few, many] = pos.length < neg.length ? [pos, neg] : [neg, pos];
  if (few.length === 0) return ifOneLabel;
  const out = [...xs];
  for (let k = few.length; k < many.length; k++) out.push(few[k % few.length]);
  return out;
}

/** A text's length band: its length in characters, by powers of two. */
export const lengthBand = (text: string) => Math.min(9, Math.floor(Math.log2(Math.max(1, text.length))));
