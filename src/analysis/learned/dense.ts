import type { Driver } from "../sentiment.js";
import { isAllCaps, type Token } from "../text.js";

// The lexicon engine's own findings as features of the learned layer: the rules see negation,
// contrast and service idioms that n-grams learn only from many examples, and the model learns how
// much each is worth. Needs and emotions are named `need:<id>` and `emotion:<id>`.

export const FIXED_DENSE = [
  "lex:positive",
  "lex:negative",
  "lex:lowest",
  "lex:positive_drivers",
  "lex:negative_drivers",
  "lex:patterns",
  "lex:negated",
  "lex:contrast",
  "text:caps",
  "text:exclaim",
  "text:question",
  "text:emoji",
  "text:length",
] as const;
export type FixedDense = (typeof FIXED_DENSE)[number];

/** Driver rules that shape a word's weight; any other rule is a lexicon pattern's id. */
const SHAPING_RULES = new Set([
  "negated",
  "intensified",
  "downtoned",
  "caps",
  "contrast-before",
  "contrast-after",
  "phrase",
]);

export interface LexiconFindings {
  overall: number;
  sentences: ReadonlyArray<{ score: number; drivers: Driver[]; tokens: Token[] }>;
}

/** The fixed dense features, in `FIXED_DENSE` order, written into `out`. */
export function fixedDense(f: LexiconFindings, out: Float64Array): void {
  out.fill(0, 0, FIXED_DENSE.length);
  let lowest = 0,
    positive = 0,
    negative = 0,
    patterns = 0,
    negated = 0,
    contrast = 0;
  let caps = 0,
    exclaim = 0,
    question = 0,
    emoji = 0,
    tokens = 0;
  for (const s of f.sentences) {
    if (s.score < lowest) lowest = s.score;
    for (const d of s.drivers) {
      if (d.weight > 0) positive++;
      else if (d.weight < 0) negative++;
      for (const r of d.rules) {
        if (r === "negated") negated = 1;
        else if (r === "contrast-after" || r === "contrast-before") contrast = 1;
        else if (!SHAPING_RULES.has(r) && d.weight < 0) patterns++;
      }
    }
    for (const t of s.tokens) {
      tokens++;
      if (t.kind === "word" && t.text.length >= 3 && isAllCaps(t.text)) caps = 1;
      else if (t.kind === "punct" && t.text.length >= 2 && t.text[0] === "!") exclaim = 1;
      else if (t.kind === "punct" && t.text[0] === "?") question = 1;
      else if (t.kind === "emoji" || t.kind === "emoticon") emoji = 1;
    }
  }
  out[0] = Math.max(0, f.overall);
  out[1] = Math.max(0, -f.overall);
  out[2] = -lowest;
  out[3] = Math.min(1, positive / 3);
  out[4] = Math.min(1, negative / 3);
  out[5] = Math.min(1, patterns / 2);
  out[6] = negated;
  out[7] = contrast;
  out[8] = caps;
  out[9] = exclaim;
  out[10] = question;
  out[11] = emoji;
  out[12] = Math.min(1, Math.log1p(tokens) / 6);
}
