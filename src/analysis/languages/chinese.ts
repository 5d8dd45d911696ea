import type { Token } from "../text.js";
import { cutChinese } from "./chinese-segmenter.js";
import type { ChineseScript } from "./chinese-script.js";

const HAN = /[\u3400-\u9fff]/;

export interface ChineseWords {
  has(word: string): boolean;
  /** Negators and degree words (不, 没, 很, 太, 非常): split off the front of a word the lexicons do not know. */
  prefixes: string[];
}

/**
 * The tokens as the Chinese lexicons look them up: each run of Han characters cut into words by
 * jieba, read in simplified characters (`lower`), offsets into the text as written. A word the
 * lexicons do not know that starts with a negator or degree word they do know is split there
 * (很差 → 很 差, 不满意 → 不 满意, 太慢 → 太 慢), so negation and degree apply to the word after.
 */
export function prepareChinese(tokens: Token[], words: ChineseWords, script: ChineseScript): Token[] {
  let out: Token[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== "word" || !HAN.test(t.text)) {
      out?.push(t);
      continue;
    }
    out ??= tokens.slice(0, i);
    const simplified = script.toSimplified(t.text);
    // Conversion is character for character nearly always; where it is not, cut the text as written.
    const sameLength = simplified.length === t.text.length;
    let at = 0;
    for (const piece of cutChinese(sameLength ? simplified : t.text)) {
      const start = t.start + at;
      const text = t.text.slice(at, at + piece.length);
      const lower = sameLength ? piece.toLowerCase() : script.toSimplified(piece).toLowerCase();
      at += piece.length;
      split(text, lower, start, words, out);
    }
  }
  return out ?? tokens;
}

function split(text: string, lower: string, start: number, words: ChineseWords, out: Token[]) {
  if (lower.length >= 2 && !words.has(lower)) {
    for (const p of words.prefixes) {
      if (lower.length > p.length && lower.startsWith(p) && words.has(lower.slice(p.length))) {
        out.push({ text: text.slice(0, p.length), lower: p, kind: "word", start, end: start + p.length });
        split(text.slice(p.length), lower.slice(p.length), start + p.length, words, out);
        return;
      }
    }
  }
  out.push({ text, lower, kind: "word", start, end: start + text.length });
}
