import { stem } from "./stem.js";
import { tokenize, type Token } from "./text.js";

export interface TermMatch<T> {
  /** Index of the first and one past the last matched token. */
  from: number;
  to: number;
  term: string;
  payload: T;
}

interface Entry<T> {
  stems: string[];
  term: string;
  payload: T;
}

/** The terms starting with one stem, longest first (opaque outside this module). */
export type TermStart = readonly unknown[];

/**
 * Finds lexicon terms (words or phrases) in token streams by comparing Porter stems, so a term
 * written as "frustrate" also finds "frustrated" and "frustrating". Longest match wins at each position.
 */
export class TermMatcher<T> {
  #byFirst = new Map<string, Entry<T>[]>();

  constructor(terms: Iterable<[string, T]>) {
    for (const [term, payload] of terms) {
      const stems = tokenize(term.toLowerCase())
        .filter((t) => t.kind !== "punct")
        .map((t) => stem(t.lower));
      if (stems.length === 0) continue;
      const list = this.#byFirst.get(stems[0]) ?? [];
      list.push({ stems, term, payload });
      list.sort((a, b) => b.stems.length - a.stems.length);
      this.#byFirst.set(stems[0], list);
    }
  }

  /** The terms whose first word has this stem, longest first; undefined when there are none. */
  startingWith(stem: string): TermStart | undefined {
    return this.#byFirst.get(stem);
  }

  /**
   * Every term in the tokens, longest first at each position. `infos`, when given, holds for each
   * token what `startingWith` answers for its stem, at index `family` (one lookup per token serves
   * several matchers).
   */
  match(
    tokens: Token[],
    stems: string[] = tokens.map((t) => stem(t.lower)),
    infos?: ReadonlyArray<{ starts: ReadonlyArray<TermStart | undefined> }>,
    family = 0,
  ): TermMatch<T>[] {
    const out: TermMatch<T>[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const candidates = (infos ? infos[i].starts[family] : this.#byFirst.get(stems[i])) as Entry<T>[] | undefined;
      if (!candidates) continue;
      for (const c of candidates) {
        let k = 0;
        while (k < c.stems.length && stems[i + k] === c.stems[k]) k++;
        if (k === c.stems.length) {
          out.push({ from: i, to: i + c.stems.length, term: c.term, payload: c.payload });
          break;
        }
      }
    }
    return out;
  }
}
