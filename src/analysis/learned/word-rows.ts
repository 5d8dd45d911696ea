import type { Token } from "../text.js";
import {
  bigramHash,
  charGramBuckets,
  charScale,
  fnv1a,
  keyOf,
  MAX_CHAR_GRAMS,
  NEGATED_SEED,
  WORD_SEED,
  wordScale,
} from "./hashing.js";
import { inScope, termsInScope } from "./negation-scope.js";
import type { WeightTable } from "./weights.js";

// The features of hashFeatures (English's word 1–2 grams and in-word character n-grams) as the weight
// rows they land on, with what a word brings remembered per word: a word's character n-grams are
// most of a text's features, and customers write the same few thousand words, so a word seen before
// costs one map lookup instead of hashing ~4 n-grams per character and reading their rows.
//
// The sums are the same as over the features one by one, bit for bit. Every feature's value is one
// of two float32 numbers (the word block's and the character block's) and every weight an int8, so
// each product is exact in a double and each partial sum is (integer × word value + integer × char
// value). With at most MAX_EXACT_TERMS terms there are under 2^17 word-block and 2^22 character
// weight units, and the two values lie within 2^4 of each other, so such a sum needs at most 52 of a
// double's 53 bits: no addition rounds, and the order of the sum does not matter.
// test/analysis/learned-word-rows.test.ts checks the equality against the feature path.

/** The most terms for which the sums above are exact; a model reading more takes the feature path. */
export const MAX_EXACT_TERMS = 256;

/** What one word contributes to any text it is in. */
interface WordEntry {
  /** The word's hash, which its bigrams combine. */
  hash: number;
  /** Weight row of the word, and of the word inside a negation's scope; -1: no head has a weight there. */
  word: number;
  negated: number;
  /** Per head: the sum of its character n-grams' weights (whole numbers, the quantised weights). */
  charSums: Int32Array;
}

/** Words remembered per model; past this many the memory starts over (a bound, not a tuning knob). */
const MAX_WORDS = 20_000;

/** One text's terms as weight rows, in reusable buffers (valid up to `termCount`). */
export class TermRows {
  terms: Token[] = [];
  termCount = 0;
  /** Per term: the row of its word feature, of its bigram with the term before (term 0: -1), of its negated feature. */
  words = new Int32Array(256);
  bigrams = new Int32Array(256);
  negated = new Int32Array(256);
  /** Per term: its word's entry, for words (other terms have no character n-grams). */
  entries: Array<WordEntry | undefined> = [];
  wordValue = 0;
  charValue = 0;

  /** The term a feature's owner names, as FeatureBuffer.termOf does. */
  termOf(owner: number): string {
    const n = this.termCount;
    return owner < n ? this.terms[owner].text : `${this.terms[owner - n].text} ${this.terms[owner - n + 1].text}`;
  }
}

/** Turns a model's texts into TermRows, remembering each word's rows. */
export class WordRows {
  private readonly words = new Map<string, WordEntry>();
  private readonly grams = new Int32Array(MAX_CHAR_GRAMS);

  constructor(
    private readonly table: WeightTable,
    private readonly mask: number,
  ) {}

  /** The terms of `sentences` (at most `maxTerms`) and their rows, into `out`. */
  fill(sentences: ReadonlyArray<{ tokens: Token[] }>, maxTerms: number, out: TermRows): void {
    const terms = out.terms;
    const n = termsInScope(sentences, maxTerms, terms);
    const negated = inScope();
    out.termCount = n;
    if (out.words.length < n) {
      out.words = new Int32Array(maxTerms);
      out.bigrams = new Int32Array(maxTerms);
      out.negated = new Int32Array(maxTerms);
    }
    // As stored in FeatureBuffer's Float32Array.
    out.wordValue = n > 0 ? Math.fround(wordScale(n)) : 0;
    out.charValue = Math.fround(charScale(terms, n));
    const { table, mask } = this;
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const t = terms[i];
      let h: number;
      if (t.kind === "word") {
        const e = this.entryOf(t.lower);
        out.entries[i] = e;
        h = e.hash;
        out.words[i] = e.word;
        out.negated[i] = negated[i] ? e.negated : -1;
      } else {
        const key = keyOf(t);
        out.entries[i] = undefined;
        h = fnv1a(key, WORD_SEED);
        out.words[i] = table.offset(h & mask);
        out.negated[i] = negated[i] ? table.offset(fnv1a(key, NEGATED_SEED) & mask) : -1;
      }
      out.bigrams[i] = i > 0 ? table.offset(bigramHash(previous, h) & mask) : -1;
      previous = h;
    }
  }

  private entryOf(word: string): WordEntry {
    const known = this.words.get(word);
    if (known) return known;
    const { table, mask, grams } = this;
    const count = charGramBuckets(word, mask, grams, 0);
    let present = 0;
    for (let k = 0; k < count; k++) {
      const at = table.offset(grams[k]);
      if (at >= 0) grams[present++] = at;
    }
    const charSums = new Int32Array(table.heads);
    const w = table.weights;
    for (let k = 0; k < present; k++) for (let h = 0; h < table.heads; h++) charSums[h] += w[grams[k] + h];
    const hash = fnv1a(word, WORD_SEED);
    const e: WordEntry = {
      hash,
      word: table.offset(hash & mask),
      negated: table.offset(fnv1a(word, NEGATED_SEED) & mask),
      charSums,
    };
    if (this.words.size >= MAX_WORDS) this.words.clear();
    this.words.set(word, e);
    return e;
  }
}

/** Per head, the weight sums of the text's features times their values (see the note at the top). */
export function sumTermHeads(table: WeightTable, rows: TermRows, words: Float64Array, out: Float64Array): void {
  const w = table.weights;
  const H = table.heads;
  words.fill(0, 0, H);
  out.fill(0, 0, H);
  const n = rows.termCount;
  for (let i = 0; i < n; i++) {
    const word = rows.words[i];
    if (word >= 0) for (let h = 0; h < H; h++) words[h] += w[word + h];
    const bigram = rows.bigrams[i];
    if (bigram >= 0) for (let h = 0; h < H; h++) words[h] += w[bigram + h];
    const negated = rows.negated[i];
    if (negated >= 0) for (let h = 0; h < H; h++) words[h] += w[negated + h];
    const e = rows.entries[i];
    if (e !== undefined) for (let h = 0; h < H; h++) out[h] += e.charSums[h];
  }
  for (let h = 0; h < H; h++) out[h] = rows.wordValue * words[h] + rows.charValue * out[h];
}

/**
 * Per owner (term i, or `n + i` for the bigram of terms i and i+1), head h's pull: the sum over its
 * features of weight × value, times the head's scale. The sum is exact (see the note at the top), so
 * this can differ from adding each feature's scaled pull in turn only in the last bit of a double,
 * well below the hundredths explanations are rounded to.
 */
export function termOwnerSums(table: WeightTable, rows: TermRows, h: number, scale: number, sums: Float64Array): void {
  const w = table.weights;
  const n = rows.termCount;
  const { wordValue, charValue } = rows;
  for (let i = 0; i < n; i++) {
    const word = rows.words[i];
    const negated = rows.negated[i];
    const own = (word >= 0 ? w[word + h] : 0) + (negated >= 0 ? w[negated + h] : 0);
    const e = rows.entries[i];
    const chars = e === undefined ? 0 : e.charSums[h];
    sums[i] = (wordValue * own + charValue * chars) * scale;
    const bigram = rows.bigrams[i];
    if (bigram >= 0) sums[n + i - 1] = w[bigram + h] * wordValue * scale;
  }
}
