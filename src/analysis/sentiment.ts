import type { Lexicons, SentimentWord } from "./lexicons.js";
import { firstEndingAfter, sortSmall } from "./ordered.js";
import { isAllCaps, tokenize, type Token } from "./text.js";

export interface Driver {
  /** The words as written. */
  term: string;
  /** Contribution to the sentence's raw score (AFINN scale, after modifiers). */
  weight: number;
  /** Rules that shaped it: negated, intensified, downtoned, caps, contrast-before, contrast-after, phrase, or a pattern id. */
  rules: string[];
  reason?: string;
}

export interface Clause {
  from: number;
  to: number;
  score: number;
}

export interface SentenceSentiment {
  score: number;
  drivers: Driver[];
  tokens: Token[];
  /** Clause boundaries (token indexes) with their own scores, for topic-level sentiment. */
  clauses: Clause[];
}

// Constants from VADER (Hutto & Gilbert 2014), which calibrated them against human ratings.
const NEGATION_SCALAR = -0.74;
/** Negating a negative word ("not bad", "don't hate it") yields a mild positive, not a strong one. */
const NEGATED_NEGATIVE_SCALAR = -0.3;
const CAPS_SCALAR = 1.3;
const EXCLAMATION_BOOST = 0.292;
const NORMALISATION_ALPHA = 15;
const SCOPE = 3;

export const normaliseScore = (raw: number) => raw / Math.sqrt(raw * raw + NORMALISATION_ALPHA);

/** A contribution to the sentence score, where it stands, and the contrast factor applied to it (undone for clause scores). */
interface Item {
  at: number;
  driver: Driver;
  contrast: number;
}

const EXCLAMATION = 33;
const FULL_WIDTH_EXCLAMATION = 0xff01;

/**
 * Every driver is made here, with one shape. Weights are whole numbers in the lexicons and fractions
 * after modifiers: a literal first filled with a whole number gets a small-integer field, and V8
 * (Node 20) then bailed out of the optimised scorer on every fractional weight, hundreds of times
 * per run ("lost precision or NaN"). The literal's 0.5 makes the field a float from the start.
 */
function newDriver(term: string, weight: number, rules: string[], reason?: string): Driver {
  const driver: Driver = { term, weight: 0.5, rules, reason };
  driver.weight = weight;
  return driver;
}

/**
 * Scores one sentence: phrases and patterns first, then words with negation, modifiers, caps and contrast.
 * Runs for every sentence of every message, so each token is looked up once (`vocabulary`) and the
 * passes below are plain loops.
 */
export function scoreSentence(
  text: string,
  lex: Lexicons["sentiment"],
  tokens: Token[] = tokenize(text),
  /** Each token's vocabulary entry, when the caller has looked them up already. */
  known?: Array<SentimentWord | undefined>,
): SentenceSentiment {
  const n = tokens.length;
  let words = known;
  if (words === undefined) {
    words = new Array(n);
    for (let i = 0; i < n; i++) words[i] = lex.vocabulary.get(tokens[i].lower);
  }
  const consumed = new Uint8Array(n);
  const items: Item[] = [];

  // 1. Service idioms and negative facts (regular expressions over the sentence), when the prefilter
  // finds any that may match: most sentences have none.
  const candidates = lex.patterns.candidates(text);
  if (candidates.length > 0) {
    const lower = text.toLowerCase().replace(/’/g, "'");
    for (const { regex, payload } of candidates) {
      // exec with lastIndex, not matchAll: matchAll clones the RegExp on every call, which dominated the cost.
      regex.lastIndex = 0;
      for (let m = regex.exec(lower); m !== null; m = regex.exec(lower)) {
        if (m[0] === "") regex.lastIndex++;
        const from = m.index;
        const to = from + m[0].length;
        // Tokens are ordered and disjoint, so the ones a match covers are a contiguous run.
        const first = firstEndingAfter(tokens, "end", from);
        let last = -1;
        let taken = false;
        for (let i = first; i < n && tokens[i].start < to; i++) {
          last = i;
          if (consumed[i]) taken = true;
        }
        if (last < 0 || taken) continue;
        consumed.fill(1, first, last + 1);
        items.push({
          at: first,
          driver: newDriver(text.slice(from, to), payload.valence, [payload.id], payload.reason),
          contrast: 1,
        });
      }
    }
  }

  // 2. Multi-word phrases, longest first.
  for (let i = 0; i < n; i++) {
    const phrases = consumed[i] ? undefined : words[i]?.phrases;
    if (phrases === undefined) continue;
    for (const p of phrases) {
      const length = p.tokens.length;
      if (i + length > n) continue;
      let matches = true;
      for (let k = 0; k < length && matches; k++)
        matches = consumed[i + k] === 0 && tokens[i + k].lower === p.tokens[k];
      if (!matches) continue;
      const last = i + length - 1;
      consumed.fill(1, i, last + 1);
      if (p.valence !== 0) {
        const driver = newDriver(text.slice(tokens[i].start, tokens[last].end), p.valence, ["phrase"]);
        applyContext(tokens, words, i, driver);
        items.push({ at: i, driver, contrast: 1 });
      }
      break;
    }
  }

  // 3. Single words, emoji and emoticons.
  let wordCount = 0;
  let everyWordCaps = true;
  for (const t of tokens) {
    if (t.kind !== "word") continue;
    wordCount++;
    if (everyWordCaps && !isAllCaps(t.text) && t.text.length >= 2) everyWordCaps = false;
  }
  const shouting = wordCount >= 3 && everyWordCaps;
  for (let i = 0; i < n; i++) {
    if (consumed[i]) continue;
    const t = tokens[i];
    // Emoticons are looked up as written (the tokenizer leaves their `lower` unchanged).
    let valence = words[i]?.valence;
    // Only words the vocabulary does not know at all: a degree word or negator takes no valence from a stem.
    if (valence === undefined && t.kind === "word" && lex.stemmed && words[i] === undefined)
      valence = lex.stemmed.words.get(lex.stemmed.stem(t.lower));
    if (!valence) continue;
    const driver = newDriver(t.text, valence, []);
    applyContext(tokens, words, i, driver);
    if (t.kind === "word" && !shouting && t.text.length >= 3 && isAllCaps(t.text)) {
      driver.weight *= CAPS_SCALAR;
      driver.rules.push("caps");
    }
    items.push({ at: i, driver, contrast: 1 });
  }

  // 4. Contrast: after "but"/"however" the second clause dominates; "although X, Y" lowers X.
  let cut = -1;
  for (let i = 1; i < n && cut < 0; i++) if (words[i]?.contrastAfter && !consumed[i]) cut = i;
  if (cut < 0 && n > 0 && words[0]?.contrastBefore) {
    for (let i = 0; i < n && cut < 0; i++)
      if (tokens[i].kind === "punct" && (tokens[i].text === "," || tokens[i].text === "，")) cut = i;
    if (cut === 0) cut = -1;
  }
  if (cut > 0) {
    for (const it of items) {
      const before = it.at < cut;
      it.contrast = before ? 0.5 : 1.5;
      it.driver.weight *= it.contrast;
      it.driver.rules.push(before ? "contrast-before" : "contrast-after");
    }
  }
  const cuts: number[] = cut > 0 ? [cut] : [];
  for (let i = 0; i < n; i++) if (tokens[i].text === ";" && i !== cut) cuts.push(i);

  let raw = 0;
  for (const it of items) raw += it.driver.weight;
  // 5. Exclamation marks amplify whatever the sentence already says (up to four count).
  if (raw !== 0) {
    let bangs = 0;
    for (let i = 0; i < text.length && bangs < 4; i++) {
      const c = text.charCodeAt(i);
      if (c === EXCLAMATION || c === FULL_WIDTH_EXCLAMATION) bangs++;
    }
    raw += Math.sign(raw) * bangs * EXCLAMATION_BOOST;
  }
  if (shouting && raw !== 0) raw *= 1.15;

  sortSmall(items, byPosition);
  const drivers: Driver[] = new Array(items.length);
  for (let k = 0; k < items.length; k++) {
    const d = items[k].driver;
    d.weight = round(d.weight);
    drivers[k] = d;
  }
  return { score: round(normaliseScore(raw)), drivers, tokens, clauses: clausesOf(n, cuts, items) };
}

/** Looks back up to three tokens (within the clause) for a negator and for intensifiers or downtoners. */
function applyContext(tokens: Token[], words: Array<SentimentWord | undefined>, i: number, driver: Driver) {
  let scale = 0;
  let negated = false;
  for (let j = i - 1, step = 0; j >= 0 && step < SCOPE; j--, step++) {
    // Every punctuation token is a clause boundary (the tokenizer only emits , . ; : ! ? … and dashes).
    if (tokens[j].kind === "punct") break;
    const w = words[j];
    if (w?.contrastAfter) break;
    if (w?.modifier !== undefined) scale += w.modifier * (1 - 0.05 * step);
    if (w?.negator || tokens[j].lower.endsWith("n't")) {
      // "not only ... but" and "no doubt" are not negations of what follows.
      const next = tokens[j + 1]?.lower;
      if (next !== "only" && next !== "doubt" && next !== "just") negated = true;
    }
  }
  // Languages that negate after the word (Korean 좋지 않다, 만족하지 못했다): the next word says so.
  const next = words[i + 1];
  if (next?.negatesPrevious && !negated) negated = true;
  // Truthiness, not `scale !== 0`: V8 speculated a small-integer comparison there and, on fractional
  // scales, bailed out of the optimised scorer again and again.
  if (scale) {
    driver.weight *= 1 + scale;
    driver.rules.push(scale > 0 ? "intensified" : "downtoned");
  }
  if (negated) {
    driver.weight *= driver.weight > 0 ? NEGATION_SCALAR : NEGATED_NEGATIVE_SCALAR;
    driver.rules.push("negated");
  }
}

function clausesOf(n: number, cuts: number[], items: Item[]): Clause[] {
  sortSmall(cuts, ascending);
  const clauses: Clause[] = [];
  let from = 0;
  // Items are ordered by position and clauses are consecutive, so one pass over the items serves
  // every clause (a pass per clause was quadratic in a long text full of ";").
  let next = 0;
  for (let k = 0; k <= cuts.length; k++) {
    const to = k < cuts.length ? cuts[k] : n;
    if (to <= from) continue;
    // Clause scores use the unweighted contributions: topic sentiment should not depend on clause order.
    let raw = 0;
    for (; next < items.length && items[next].at < to; next++) raw += items[next].driver.weight / items[next].contrast;
    clauses.push({ from, to, score: round(normaliseScore(raw)) });
    from = to;
  }
  return clauses;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const byPosition = (a: Item, b: Item) => a.at - b.at;
const ascending = (a: number, b: number) => a - b;

export function labelOf(
  score: number,
  labels: { positive: number; negative: number },
): "positive" | "neutral" | "negative" {
  return score >= labels.positive ? "positive" : score <= labels.negative ? "negative" : "neutral";
}
