import { LiteralAutomaton } from "./literal-automaton.js";
import { requiredLiterals } from "./required-literals.js";

export interface CompiledPattern<T> {
  regex: RegExp;
  payload: T;
}

/**
 * A family's patterns (service idioms, need phrasings, ...) behind a literal prefilter. Each pattern's
 * syntax says which words a match must contain (one of the wanting words and one of the cancelling
 * words for "want ... cancel"); one Aho–Corasick pass over a sentence finds which of those words occur,
 * and only the patterns whose every group of words occurs run. Most sentences have none, and the pass
 * costs a table lookup per character, where testing a combined alternation of ~40 patterns cost more
 * than the rest of the need analysis together. A pattern with no required word (`\d+ hours`) runs on
 * every sentence. Candidates come back in the family's order, so results do not depend on the prefilter.
 */
export class PatternSet<T> {
  readonly patterns: CompiledPattern<T>[];
  readonly #automaton: LiteralAutomaton;
  readonly #always: boolean[];
  /** For each automaton id: the pattern and the bit of the literal group it stands for. */
  readonly #slotPattern: number[] = [];
  readonly #slotBit: number[] = [];
  /** Per pattern, the bits of all its groups: it is a candidate once every one is seen. */
  readonly #complete: number[];
  /** Groups seen in the current scan, valid where `#seenIn` holds the scan's number (no clearing between scans). */
  readonly #seen: Int32Array;
  readonly #seenIn: Uint32Array;
  #scan = 0;
  readonly #mark = (slot: number) => {
    const p = this.#slotPattern[slot];
    if (this.#seenIn[p] !== this.#scan) (this.#seenIn[p] = this.#scan), (this.#seen[p] = 0);
    this.#seen[p] |= this.#slotBit[slot];
  };

  constructor(patterns: CompiledPattern<T>[]) {
    this.patterns = patterns;
    const literals: string[] = [];
    const slots: number[] = [];
    this.#complete = patterns.map((p, index) => {
      // At most 30 groups keep the bit mask a positive 31-bit integer; more than a few never occur, and
      // fewer only widen the filter.
      const groups = (requiredLiterals(p.regex) ?? []).slice(0, 30);
      groups.forEach((group, g) => {
        const slot = this.#slotPattern.length;
        this.#slotPattern.push(index);
        this.#slotBit.push(1 << g);
        for (const literal of group) (literals.push(literal), slots.push(slot));
      });
      return groups.length ? (1 << groups.length) - 1 : 0;
    });
    this.#always = this.#complete.map((mask) => mask === 0);
    this.#automaton = new LiteralAutomaton(literals, slots);
    this.#seen = new Int32Array(patterns.length);
    this.#seenIn = new Uint32Array(patterns.length);
  }

  /** The patterns that may match `text`, in the family's order. Case does not matter. */
  candidates(text: string): CompiledPattern<T>[] {
    const out: CompiledPattern<T>[] = [];
    if (this.patterns.length === 0) return out;
    if (this.#scan === 0xffffffff) (this.#seenIn.fill(0), (this.#scan = 0));
    const scan = ++this.#scan;
    this.#automaton.scan(text, this.#mark);
    for (let i = 0; i < this.patterns.length; i++) {
      if (this.#always[i] || (this.#seenIn[i] === scan && this.#seen[i] === this.#complete[i])) out.push(this.patterns[i]);
    }
    return out;
  }

  /** The patterns with no required literal, which run on every sentence. */
  get unfiltered(): CompiledPattern<T>[] {
    return this.patterns.filter((_, i) => this.#always[i]);
  }
}
