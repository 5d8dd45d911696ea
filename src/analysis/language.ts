import { eld } from "eld/extrasmall";
import type { Lexicons } from "./lexicons.js";
import type { Token } from "./text.js";

export interface LanguageGuess {
  /** ISO 639-1 code, or "und" (undetermined) when no language can be named with confidence. */
  code: string;
  confidence: number;
}

/**
 * Below this confidence a text's language is reported as "und": very short texts ("ok", "merci") and
 * texts that mix two languages carry too little evidence to name one, and naming the wrong one would
 * send the text down the wrong analysis. Calibrated on bench/language.ts (docs/languages.md).
 */
export const LOW_CONFIDENCE = 0.5;

export const UNDETERMINED = "und";

// Scripts that name their language outright, in the order they are tried (kana before Han: Japanese
// writes both). Cyrillic and Arabic script are left to the detector, which tells Russian from
// Ukrainian and Arabic from Persian.
const SCRIPT_CODES = ["ja", "ko", "zh", "he", "hi", "th", "el"] as const;

/** The index in SCRIPT_CODES of the script a BMP code unit belongs to, or -1. */
function scriptOf(c: number): number {
  if (c < 0x370) return -1;
  if (c <= 0x3ff) return 6;
  if (c >= 0x590 && c <= 0x5ff) return 3;
  if (c >= 0x900 && c <= 0x97f) return 4;
  if (c >= 0xe00 && c <= 0xe7f) return 5;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0x3130 && c <= 0x318f) || (c >= 0xac00 && c <= 0xd7af)) return 1;
  if (c >= 0x3040 && c <= 0x30ff) return 0;
  if ((c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)) return 2;
  return -1;
}

const LETTER = /^\p{L}$/u;
/** Whether each BMP code unit is a letter (1) or not (2), filled in as characters are first seen. */
const BMP_LETTER = new Uint8Array(0x10000);

/**
 * Letters (Unicode's L category) in `text`, counted per code point, and per script of SCRIPT_CODES
 * into `scripts`. Counted in a loop: matching every letter allocated an array as long as the text.
 */
function countLetters(text: string, scripts?: Int32Array): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      const folded = c | 0x20;
      if (folded >= 97 && folded <= 122) n++;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        if (LETTER.test(text.slice(i, i + 2))) n++;
        i++;
        continue;
      }
    }
    let known = BMP_LETTER[c];
    if (known === 0) {
      known = LETTER.test(String.fromCharCode(c)) ? 1 : 2;
      BMP_LETTER[c] = known;
    }
    if (scripts !== undefined) {
      const k = scriptOf(c);
      if (k >= 0) scripts[k]++;
    }
    if (known === 1) n++;
  }
  return n;
}

const scriptCounts = new Int32Array(SCRIPT_CODES.length);

/**
 * Handles, hashtags, links, addresses and codes with digits are in no language ("@united I6EP18"),
 * and the model reads them as words of one.
 */
const NOISE = /(?:https?:\/\/|www\.)\S+|\S+@\S+|[@#]\S+|\S*\d\S*/g;

/** The model's cost grows with the text; two hundred characters settle a language as well as a page. */
const MODEL_CHARS = 200;

/** Fewer letters than this and the n-gram detector's guess is no better than chance between neighbours. */
const MIN_LETTERS = 12;

/**
 * The language of a customer's text, in three steps, cheapest first:
 * 1. a script that names its language (Hangul, kana, Han, Thai, ...);
 * 2. English function words: most traffic is English, and a text whose words are plainly English
 *    needs no n-gram model (this keeps the common case as cheap as a few map lookups);
 * 3. `eld`'s n-gram model (60 languages), its confidence taken from how far its best score stands
 *    above the runner-up, capped for short texts and for texts with English words mixed in.
 * A guess below LOW_CONFIDENCE is reported as "und".
 */
export function detectLanguage(text: string, words: Token[], lex: Lexicons["languages"]): LanguageGuess {
  scriptCounts.fill(0);
  const letters = countLetters(text, scriptCounts);
  if (letters === 0) return { code: UNDETERMINED, confidence: 0 };
  for (let k = 0; k < SCRIPT_CODES.length; k++) {
    const n = scriptCounts[k];
    if (n / letters > 0.3) return { code: SCRIPT_CODES[k], confidence: round(Math.min(1, n / letters + 0.2)) };
  }
  // Most words are no language's function word: a miss costs one lookup and nothing else.
  // `own` counts the words only one language uses, which is what tells two languages in one text.
  let en = 0;
  let other = 0;
  const seen = new Set<string>();
  const own = new Map<string, number>();
  for (const w of words) {
    const codes = lex.words.get(w.lower);
    if (codes === undefined) continue;
    const english = codes.includes("en");
    // Distinct words English alone uses: Swedish "i ... i" is one word, Spanish "me" is not English's.
    if (english && codes.length === 1 && !seen.has(w.lower)) {
      seen.add(w.lower);
      en++;
    }
    // A word English shares with another language ("a", "no", "in") counts for both.
    if (codes.length > (english ? 1 : 0)) other++;
    if (codes.length === 1) own.set(codes[0], (own.get(codes[0]) ?? 0) + 1);
  }
  const share = en / Math.max(1, words.length);
  // A function word of another language alone ("mi", "ist") leaves the text to the model, which
  // tells a mixed text from an English one with a foreign name in it.
  let foreign = false;
  for (const code of own.keys()) if (code !== "en") foreign = true;
  if (!foreign && en >= 2 && share >= 0.1 && en >= 2 * other)
    return { code: "en", confidence: round(Math.min(0.99, 0.5 + 0.1 * en + share / 2)) };

  const clean = text.replace(NOISE, " ").slice(0, MODEL_CHARS);
  const cleanLetters = countLetters(clean);
  if (cleanLetters === 0) return { code: UNDETERMINED, confidence: 0 };
  const result = eld.detect(clean);
  if (!result.language) return { code: UNDETERMINED, confidence: 0 };
  // The scores come best first; the confidence reads the first three.
  const ranked: Array<[string, number]> = [];
  const scores = result.getScores();
  for (const code in scores) {
    ranked.push([code, scores[code]]);
    if (ranked.length === 3) break;
  }
  const best = ranked[0]?.[1] ?? 0;
  const margin = best > 0 ? (best - (ranked[1]?.[1] ?? 0)) / best : 0;
  // Neighbours (Russian and Ukrainian, Spanish and Catalan) score close together even when the
  // model is right, so the margin adds to the model's own reliability rather than deciding alone.
  let confidence = result.isReliable() ? Math.min(0.99, 0.6 + margin * 2) : Math.min(0.45, 0.3 + margin);
  if (cleanLetters < MIN_LETTERS) confidence *= cleanLetters / MIN_LETTERS;
  if (isMixed(result.language, ranked, best, own)) confidence = Math.min(confidence, 0.35);
  confidence = round(confidence);
  return confidence < LOW_CONFIDENCE ? { code: UNDETERMINED, confidence } : { code: result.language, confidence };
}

/**
 * Two languages in one text: the model's runner-up scores close to its best guess, and the text
 * holds function words of the runner-up's alone as well as of the best guess's alone ("Ich brauche
 * help with my account, es ist gesperrt"). English, whose function words are the longest list,
 * needs one of its own; any other pair needs two of the runner-up's.
 */
function isMixed(code: string, ranked: Array<[string, number]>, best: number, own: Map<string, number>): boolean {
  const mine = own.get(code) ?? 0;
  for (let i = 0; i < 3 && i < ranked.length; i++) {
    const [other, score] = ranked[i];
    // Looser when the best guess is English: an undetermined text is read with the English lexicons,
    // so an English text taken for mixed loses nothing, while a French one would be misread.
    if (other === code || score < (code === "en" ? 0.7 : 0.8) * best) continue;
    const theirs = own.get(other) ?? 0;
    if (other === "en" || code === "en" ? theirs >= 1 && (mine >= 1 || code === "en") : theirs >= 2 && mine >= 1)
      return true;
  }
  return false;
}

const round = (x: number) => Math.round(x * 100) / 100;
