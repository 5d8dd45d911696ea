import type { Lexicons } from "./lexicons.js";
import type { Token } from "./text.js";

export interface LanguageGuess {
  code: string;
  confidence: number;
}

const OTHER_SCRIPT = /[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/;

const LETTER = /\p{L}/gu;

const SCRIPTS: Array<[RegExp, string]> = [
  [/[\u3040-\u30ff]/gu, "ja"],
  [/[\uac00-\ud7af]/gu, "ko"],
  [/[\u4e00-\u9fff]/gu, "zh"],
  [/[\u0400-\u04ff]/gu, "ru"],
  [/[\u0600-\u06ff]/gu, "ar"],
  [/[\u0590-\u05ff]/gu, "he"],
  [/[\u0900-\u097f]/gu, "hi"],
  [/[\u0e00-\u0e7f]/gu, "th"],
  [/[\u0370-\u03ff]/gu, "el"],
];

/**
 * Tells the language from its script, then from function words: short customer messages carry
 * few content words, but nearly every sentence has "the", "de", "der"... Short or ambiguous texts
 * default to English with low confidence.
 */
export function detectLanguage(text: string, words: Token[], lex: Lexicons["languages"]): LanguageGuess {
  // Only texts with letters of another script need counting; emoji and accented Latin do not.
  const letters = OTHER_SCRIPT.test(text) ? (text.match(LETTER)?.length ?? 0) : 0;
  for (const [re, code] of letters > 0 ? SCRIPTS : []) {
    const n = text.match(re)?.length ?? 0;
    if (letters > 0 && n / letters > 0.3) return { code, confidence: round(n / letters) };
  }
  // Most words are no language's function word: a miss costs one lookup and nothing else.
  const hits = new Map<string, number>();
  let total = 0;
  for (const w of words) {
    const codes = lex.words.get(w.lower);
    if (codes === undefined) continue;
    for (const code of codes) hits.set(code, (hits.get(code) ?? 0) + 1);
    total += codes.length;
  }
  const en = hits.get("en") ?? 0;
  let best = "en";
  let bestHits = en;
  hits.forEach((n, code) => {
    if (n > bestHits) {
      best = code;
      bestHits = n;
    }
  });
  if (best !== "en" && (bestHits < 2 || words.length < lex.minWords || bestHits < en * 1.5)) best = "en";
  const confidence = total === 0 ? 0.5 : round((hits.get(best) ?? 0) / total);
  return { code: best, confidence };
}

const round = (x: number) => Math.round(x * 100) / 100;
