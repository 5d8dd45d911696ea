import { LiteralAutomaton } from "./literal-automaton.js";
import { requiredLiterals } from "./required-literals.js";

export interface CompiledPattern<T> {
  regex: RegExp;
  payload: T;
}

/**
 * A family's patterns (service idioms, need phrasings, ...) behind a literal prefilter. Each pattern's
 * syntax says which words a match must contain ("cancel" or "close" for a cancellation phrasing); one
 * Aho–Corasick pass over a sentence finds which of those words occur, and only the patterns whose words
 * occur run. Most sentences have none, and the pass costs a table lookup per character, where testing
 * a combined alternation of ~40 patterns cost more than the rest of the need analysis together.
 * A pattern with no required word (`\d+ hours`) runs on every sentence. Candidates come back in the
 * family's order, so results do not depend on the prefilter.
 */
export class PatternSet<T> {
  readonly patterns: CompiledPattern<T>[];
  readonly #automaton: LiteralAutomaton;
  readonly #always: boolean[];
  /** Scan number at which each pattern was last seen as a candidate: no clearing between scans. */
  readonly #seen: Uint32Array;
  #scan = 0;
  readonly #mark = (id: number) => {
    this.#seen[id] = this.#scan;
  };

  constructor(patterns: CompiledPattern<T>[]) {
    this.patterns = patterns;
    const literals: string[] = [];
    const ids: number[] = [];
    this.#always = patterns.map((p, id) => {
      const required = requiredLiterals(p.regex);
      for (const literal of required ?? []) (literals.push(literal), ids.push(id));
      return required === null;
    });
    this.#automaton = new LiteralAutomaton(literals, ids);
    this.#seen = new Uint32Array(patterns.length);
  }

  /** The patterns that may match `text`, in the family's order. Case does not matter. */
  candidates(text: string): CompiledPattern<T>[] {
    const out: CompiledPattern<T>[] = [];
    if (this.patterns.length === 0) return out;
    if (this.#scan === 0xffffffff) (this.#seen.fill(0), (this.#scan = 0));
    const scan = ++this.#scan;
    this.#automaton.scan(text, this.#mark);
    for (let i = 0; i < this.patterns.length; i++) if (this.#seen[i] === scan || this.#always[i]) out.push(this.patterns[i]);
    return out;
  }

  /** The patterns with no required literal, which run on every sentence. */
  get unfiltered(): CompiledPattern<T>[] {
    return this.patterns.filter((_, i) => this.#always[i]);
  }
}
