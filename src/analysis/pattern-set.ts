import { LiteralAutomaton } from "./literal-automaton.js";
import { requiredLiterals } from "./required-literals.js";

export interface CompiledPattern<T> {
  regex: RegExp;
  payload: T;
}

/** Where a literal group of the shared automaton belongs: a pattern set, one of its patterns, that group's bit. */
interface Slot {
  set: PatternSet<unknown>;
  pattern: number;
  bit: number;
}

/**
 * One Aho–Corasick automaton over the required words of several pattern families, so a sentence is
 * scanned once for all of them (service idioms, emotion and need phrasings). The last sentence's scan
 * is kept: each family asks about the same sentence in turn.
 */
export class LiteralPrefilter {
  readonly #literals: string[] = [];
  readonly #literalSlots: number[] = [];
  readonly #slots: Slot[] = [];
  #automaton: LiteralAutomaton | undefined;
  #lastText: string | undefined;
  /** Number of the current scan; sets compare it with the scan that last marked each pattern. */
  scan = 0;
  readonly #mark = (slot: number) => {
    const s = this.#slots[slot];
    s.set.mark(s.pattern, s.bit, this.scan);
  };

  /** Registers one group of literals of a pattern: the pattern needs one of them. */
  addGroup(set: PatternSet<unknown>, pattern: number, bit: number, literals: string[]) {
    const slot = this.#slots.length;
    this.#slots.push({ set, pattern, bit });
    for (const literal of literals) {
      this.#literals.push(literal);
      this.#literalSlots.push(slot);
    }
    this.#automaton = undefined;
    this.#lastText = undefined;
  }

  /** Scans `text` unless it was the last text scanned; answers the scan's number. */
  scanned(text: string): number {
    if (text === this.#lastText) return this.scan;
    this.#automaton ??= new LiteralAutomaton(this.#literals, this.#literalSlots);
    this.scan++;
    this.#automaton.scan(text, this.#mark);
    this.#lastText = text;
    return this.scan;
  }
}

/**
 * A family's patterns (service idioms, need phrasings, ...) behind a literal prefilter. Each pattern's
 * syntax says which words a match must contain (one of the wanting words and one of the cancelling
 * words for "want ... cancel"); one Aho–Corasick pass over a sentence finds which of those words occur,
 * and only the patterns whose every group of words occurs run. Most sentences have none, and the pass
 * costs a table lookup per character, where testing a combined alternation of ~40 patterns cost more
 * than the rest of the need analysis together. A pattern with no required word (`\d+ hours`) runs on
 * every sentence. Candidates come back in the family's order, so results do not depend on the prefilter.
 * Families compiled together share one prefilter, so a sentence is scanned once for all of them.
 */
export class PatternSet<T> {
  readonly patterns: CompiledPattern<T>[];
  readonly #prefilter: LiteralPrefilter;
  readonly #always: boolean[];
  /** Per pattern, the bits of all its groups: it is a candidate once every one is seen. */
  readonly #complete: number[];
  /** Groups seen, valid where `#seenIn` holds the current scan's number (no clearing between scans). */
  readonly #seen: Int32Array;
  readonly #seenIn: Float64Array;

  constructor(patterns: CompiledPattern<T>[], prefilter = new LiteralPrefilter()) {
    this.patterns = patterns;
    this.#prefilter = prefilter;
    this.#complete = patterns.map((p, index) => {
      // At most 30 groups keep the bit mask a positive 31-bit integer; more than a few never occur, and
      // fewer only widen the filter.
      const groups = (requiredLiterals(p.regex) ?? []).slice(0, 30);
      groups.forEach((group, g) => {
        prefilter.addGroup(this as PatternSet<unknown>, index, 1 << g, group);
      });
      return groups.length ? (1 << groups.length) - 1 : 0;
    });
    this.#always = this.#complete.map((mask) => mask === 0);
    this.#seen = new Int32Array(patterns.length);
    this.#seenIn = new Float64Array(patterns.length);
  }

  /** Called by the prefilter for each group found in the scan numbered `scan`. */
  mark(pattern: number, bit: number, scan: number) {
    if (this.#seenIn[pattern] !== scan) {
      this.#seenIn[pattern] = scan;
      this.#seen[pattern] = 0;
    }
    this.#seen[pattern] |= bit;
  }

  /**
   * The patterns that may match `text`, in the family's order. Case does not matter, nor curly
   * apostrophes: pass the sentence as written, so families sharing the prefilter share its scan.
   */
  candidates(text: string): CompiledPattern<T>[] {
    const out: CompiledPattern<T>[] = [];
    if (this.patterns.length === 0) return out;
    const scan = this.#prefilter.scanned(text);
    for (let i = 0; i < this.patterns.length; i++) {
      if (this.#always[i] || (this.#seenIn[i] === scan && this.#seen[i] === this.#complete[i]))
        out.push(this.patterns[i]);
    }
    return out;
  }

  /** The patterns with no required literal, which run on every sentence. */
  get unfiltered(): CompiledPattern<T>[] {
    return this.patterns.filter((_, i) => this.#always[i]);
  }
}
