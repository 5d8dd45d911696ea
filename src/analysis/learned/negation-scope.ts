import type { Token } from "../text.js";

/**
 * Words that put the next few words in a negation's scope ("no problems", "not impressed"): those
 * words also get a negated feature of their own, so "problems" and "no … problems" can weigh apart.
 * The scope ends at punctuation, at "but", or after NEGATION_WINDOW words.
 */
const NEGATORS = new Set(
  "not no never none nobody nothing neither nor without cannot cant dont doesnt didnt isnt wasnt arent werent wont wouldnt shouldnt couldnt havent hasnt hadnt aint".split(
    " ",
  ),
);
const NEGATION_WINDOW = 3;

/** Tokens that count as terms: words, numbers, emoji, emoticons, `!`/`?` runs, mentions and URLs. */
export const isTerm = (t: Token) => t.kind !== "punct" || t.text[0] === "!" || t.text[0] === "?";

let negatedTerm = new Uint8Array(256);

/** Per term, whether it is a word inside a negation's scope: set by termsInScope, reused from text to text. */
export const inScope = () => negatedTerm;

/**
 * The terms of `sentences` (at most `maxTerms`) written into `terms` from index 0, and per term
 * whether it is a word inside a negation's scope (`inScope()`); returns how many. `terms` is not
 * truncated, so an array reused from text to text keeps its storage (truncating it to zero let V8
 * free it, and every text grew it again).
 */
export function termsInScope(sentences: ReadonlyArray<{ tokens: Token[] }>, maxTerms: number, terms: Token[]): number {
  if (negatedTerm.length < maxTerms) negatedTerm = new Uint8Array(maxTerms);
  let count = 0;
  for (const s of sentences) {
    let scope = 0;
    for (const t of s.tokens) {
      if (count >= maxTerms) break;
      if (!isTerm(t)) {
        scope = 0;
        continue;
      }
      negatedTerm[count] = scope > 0 && t.kind === "word" ? 1 : 0;
      terms[count++] = t;
      if (t.kind !== "word") continue;
      if (NEGATORS.has(t.lower) || t.lower.endsWith("n't")) scope = NEGATION_WINDOW;
      else if (t.lower === "but") scope = 0;
      else if (scope > 0) scope--;
    }
  }
  return count;
}
