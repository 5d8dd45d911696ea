import type { Token } from "../text.js";

const MARKS = /[\u0300-\u036f]/g;
const ACCENTED = /[^\x00-\x7f]/;

/**
 * Lower case without accents: customers often type "atencion" and "pesimo", so lexicon keys and
 * tokens are both read this way (ñ becomes n on both sides, which confuses no word that matters here).
 */
export const foldSpanish = (s: string): string => {
  const lower = s.toLowerCase();
  return ACCENTED.test(lower) ? lower.normalize("NFD").replace(MARKS, "") : lower;
};

/** The tokens with their `lower` read without accents. */
export function prepareSpanish(tokens: Token[]): Token[] {
  let out: Token[] | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== "word" || !ACCENTED.test(t.lower)) {
      out?.push(t);
      continue;
    }
    out ??= tokens.slice(0, i);
    out.push({ text: t.text, lower: foldSpanish(t.lower), kind: t.kind, start: t.start, end: t.end });
  }
  return out ?? tokens;
}
