import type { Token } from "../text.js";
import type { FeatureBuffer } from "./feature-buffer.js";
import type { FeatureOptions } from "./model-file.js";
import { inScope, isTerm, termsInScope } from "./negation-scope.js";

// Hashed word 1–2 grams and character 2–5 grams of each word (with the word's edges marked), the
// "hashing trick": no vocabulary to ship, any word has a bucket, and the same text always gives the
// same features. FNV-1a is fast on short keys and computed incrementally, so n-grams are hashed
// without building their strings.
// @see https://en.wikipedia.org/wiki/Fowler%E2%80%93Noll%E2%80%93Vo_hash_function

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
export const WORD_SEED = 0x9e3779b9;
const CHAR_SEED = 0x85ebca6b;
const BIGRAM_SEED = 0xc2b2ae35;
const EDGE = 0x20;
const MIN_CHARS = 2;
const MAX_CHARS = 5;
/** Characters of a word that yield character n-grams; a 300-letter "word" is noise, not evidence. */
const MAX_WORD_CHARS = 24;

export const fnv1a = (s: string, seed = FNV_OFFSET): number => {
  let h = seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ normalisedCode(s.charCodeAt(i)), FNV_PRIME);
  return h >>> 0;
};

/** Digits hash alike, so "3 hours" and "5 hours" share their features. */
const normalisedCode = (c: number) => (c >= 48 && c <= 57 ? 48 : c);

/** What a token is to the model: its lower-cased text, or its kind where the text is a name or an address. */
export function keyOf(t: Token, asWritten = false): string {
  if (t.kind === "mention") return "@user";
  if (t.kind === "url") return "http";
  return asWritten && t.kind === "word" ? t.text.toLowerCase() : t.lower;
}

export const NEGATED_SEED = 0x27d4eb2f;

/** The bucket of the bigram of two words, from their word hashes. */
export const bigramHash = (previous: number, h: number) => Math.imul(previous ^ BIGRAM_SEED, FNV_PRIME) ^ h;

/** The value of each word-block feature (words, bigrams, negated words) of `n` terms. */
export const wordScale = (n: number) => 1 / Math.sqrt(2 * n - 1);

/** The value of each character n-gram of the terms' words. */
export function charScale(terms: ReadonlyArray<Token>, n = terms.length): number {
  let chars = 0;
  for (let i = 0; i < n; i++)
    if (terms[i].kind === "word")
      chars += Math.max(0, Math.min(terms[i].lower.length, MAX_WORD_CHARS) + 2 - MIN_CHARS + 1);
  // Character n-grams per word: ~4 per character; the count is an estimate, the scale only needs to be stable.
  return chars > 0 ? 1 / Math.sqrt(chars * 4) : 0;
}

/**
 * Adds the hashed features of `sentences` (already tokenised) to `out`, at most `maxTerms` terms.
 * Word and character blocks are each scaled by 1/sqrt(their count), so long and short texts land on
 * one scale and neither block drowns the other.
 */
export function hashFeatures(
  sentences: ReadonlyArray<{ tokens: Token[] }>,
  mask: number,
  maxTerms: number,
  out: FeatureBuffer,
  options?: FeatureOptions,
): void {
  if (options && (options.chars === "run" || options.key === "text")) {
    hashRuns(sentences, mask, maxTerms, out, options);
    return;
  }
  const terms = out.terms;
  const n = termsInScope(sentences, maxTerms, terms);
  terms.length = n;
  const negated = inScope();
  if (n === 0) return;
  const wordValue = wordScale(n);
  const charValue = charScale(terms);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const t = terms[i];
    const key = keyOf(t);
    const h = fnv1a(key, WORD_SEED);
    out.push(h & mask, i, wordValue);
    if (i > 0) out.push(bigramHash(previous, h) & mask, n + i - 1, wordValue);
    previous = h;
    if (negated[i]) out.push(fnv1a(key, NEGATED_SEED) & mask, i, wordValue);
    if (t.kind === "word") {
      // Room for every n-gram of the word up front, so the grams are written without a capacity check.
      out.reserve(MAX_CHAR_GRAMS);
      const at = out.length;
      const grams = charGramBuckets(key, mask, out.buckets, at);
      out.owners.fill(i, at, at + grams);
      out.values.fill(charValue, at, at + grams);
      out.length = at + grams;
    }
  }
}

/** The most character n-grams a word yields. */
export const MAX_CHAR_GRAMS = (MAX_WORD_CHARS + 1) * (MAX_CHARS - 1);

/** The word's code units with its edges marked and digits alike, reused from word to word. */
const codes = new Int32Array(MAX_WORD_CHARS + 2);

/**
 * The buckets of a word's character n-grams, written into `out` from `at` (room for MAX_CHAR_GRAMS);
 * returns how many.
 */
export function charGramBuckets(word: string, mask: number, out: Int32Array, at: number): number {
  const len = Math.min(word.length, MAX_WORD_CHARS) + 2;
  codes[0] = EDGE;
  for (let k = 1; k < len - 1; k++) codes[k] = normalisedCode(word.charCodeAt(k - 1));
  codes[len - 1] = EDGE;
  const first = at;
  for (let start = 0; start < len - 1; start++) {
    let h = Math.imul(CHAR_SEED ^ codes[start], FNV_PRIME);
    const end = Math.min(len, start + MAX_CHARS);
    for (let k = start + 1; k < end; k++) {
      h = Math.imul(h ^ codes[k], FNV_PRIME);
      out[at++] = (h >>> 0) & mask;
    }
  }
  return at - first;
}

/** Whether each term continues a run of words (the word before it in its sentence is a term too). */
let continues = new Uint8Array(256);
let runCodes = new Int32Array(1024);
let runOwners = new Int32Array(1024);

/**
 * hashFeatures for the `features` options of a language pack's model: word 1–2 grams of the keys, and
 * character n-grams over each run of words (with `chars: "run"`), a space between two words read as
 * an edge mark, so n-grams see across the segmenter's cuts and a Korean word's stem into its ending.
 */
function hashRuns(
  sentences: ReadonlyArray<{ tokens: Token[] }>,
  mask: number,
  maxTerms: number,
  out: FeatureBuffer,
  o: FeatureOptions,
): void {
  const terms = out.terms;
  if (continues.length < maxTerms) continues = new Uint8Array(maxTerms);
  for (const s of sentences) {
    let previousWord: Token | undefined;
    for (const t of s.tokens) {
      if (terms.length >= maxTerms) break;
      if (!isTerm(t)) {
        previousWord = undefined;
        continue;
      }
      continues[terms.length] = previousWord && t.kind === "word" ? (t.start > previousWord.end ? 2 : 1) : 0;
      terms.push(t);
      previousWord = t.kind === "word" ? t : undefined;
    }
  }
  const n = terms.length;
  if (n === 0) return;
  const asWritten = o.key === "text";
  const wordValue = 1 / Math.sqrt(2 * n - 1);
  let chars = 0;
  for (let i = 0; i < n; i++) if (terms[i].kind === "word") chars += Math.min(terms[i].text.length, MAX_WORD_CHARS) + 1;
  const charValue = chars > 0 ? 1 / Math.sqrt(chars * (o.maxChars - o.minChars + 1)) : 0;
  let previous = 0;
  let run = 0;
  for (let i = 0; i < n; i++) {
    const t = terms[i];
    const key = keyOf(t, asWritten);
    const h = fnv1a(key, WORD_SEED);
    out.push(h & mask, i, wordValue);
    if (i > 0) out.push((Math.imul(previous ^ BIGRAM_SEED, FNV_PRIME) ^ h) & mask, n + i - 1, wordValue);
    previous = h;
    if (t.kind !== "word") continue;
    if (o.chars === "word") {
      run = 0;
      pushRunChars(key, i, false);
      runGrams(run, mask, charValue, o, out);
      continue;
    }
    if (continues[i] === 0) run = 0;
    pushRunChars(key, i, continues[i] === 2);
    if (i + 1 >= n || continues[i + 1] === 0) runGrams(run, mask, charValue, o, out);
  }

  /** Appends a word's characters to the run (with a space before it when it was written apart). */
  function pushRunChars(word: string, owner: number, spaced: boolean): void {
    const len = Math.min(word.length, MAX_WORD_CHARS);
    if (run + len + 3 > runCodes.length) {
      const codes = new Int32Array(runCodes.length * 2 + len);
      const owners = new Int32Array(codes.length);
      codes.set(runCodes);
      owners.set(runOwners);
      runCodes = codes;
      runOwners = owners;
    }
    if (run === 0 || spaced) {
      runCodes[run] = EDGE;
      runOwners[run++] = owner;
    }
    for (let k = 0; k < len; k++) {
      runCodes[run] = normalisedCode(word.charCodeAt(k));
      runOwners[run++] = owner;
    }
  }
}

/** Character n-grams of the run in `runCodes` (closed by an edge mark), each owned by the word it starts in. */
function runGrams(length: number, mask: number, value: number, o: FeatureOptions, out: FeatureBuffer): void {
  runCodes[length] = EDGE;
  runOwners[length] = runOwners[length - 1];
  const len = length + 1;
  for (let start = 0; start < len; start++) {
    let h = CHAR_SEED;
    for (let k = start; k < len && k < start + o.maxChars; k++) {
      h = Math.imul(h ^ runCodes[k], FNV_PRIME);
      // A gram of the edge mark alone says nothing.
      if (k - start + 1 >= o.minChars && !(k === start && runCodes[k] === EDGE))
        out.push((h >>> 0) & mask, runOwners[start], value);
    }
  }
}
