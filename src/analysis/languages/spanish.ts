import type { Token } from "../text.js";

const MARKS = /[\u0300-\u036f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL
const ACCENTED = /[^\x00-\x7f]/;

/**
 * Lower case without accents: customers often type "atencion" and "pesimo", so lexicon keys and
 * tokens are both read this way (ñ becomes n on both sides, which confuses no word that matters here).
 */
export const foldSpanish = (s: string): string => {
  const lower = s.toLowerCase();
  return ACCENTED.test(lower) ? lower.normalize("NFD").replace(MARKS, "") : lower;
};

/** Three or more of one letter: written emphasis (buenooo, muyyy), never Spanish spelling. */
const STRETCHED = /(\p{L})\1{2,}/u;
const STRETCHES = /(\p{L})\1{2,}/gu;
/** Laughter, however long: jajaja, jejeje, jsjsjs, ajajaja. */
const LAUGHTER = /^(?:a?(?:ja|je|ji|js|sj){2,}j?|xd+)$/;

/** The tokens as the Spanish lexicons read them: without accents, stretched letters shortened, laughter as "jaja". */
export function prepareSpanish(tokens: Token[]): Token[] {
  let out: Token[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (
      t.kind !== "word" ||
      !(
        ACCENTED.test(t.lower) ||
        STRETCHED.test(t.lower) ||
        t.lower.startsWith("j") ||
        t.lower.startsWith("a") ||
        t.lower.startsWith("x")
      )
    ) {
      out?.push(t);
      continue;
    }
    let lower = foldSpanish(t.lower).replace(STRETCHES, "$1");
    if (LAUGHTER.test(lower)) lower = "jaja";
    if (lower === t.lower) {
      out?.push(t);
      continue;
    }
    out ??= tokens.slice(0, i);
    out.push({ text: t.text, lower, kind: t.kind, start: t.start, end: t.end });
  }
  return out ?? tokens;
}
