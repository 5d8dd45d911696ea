export interface CompiledPattern<T> {
  regex: RegExp;
  payload: T;
}

interface Group<T> {
  gate: RegExp | null;
  patterns: CompiledPattern<T>[];
}

/**
 * One alternation of several patterns: a sentence that fails it matches none of them. Null when a
 * pattern uses back-references, which would change meaning inside a combined expression.
 */
export function patternGate(patterns: Array<{ regex: RegExp }>): RegExp | null {
  if (patterns.length === 0 || patterns.some((p) => /\\[1-9]|\\k</.test(p.regex.source))) return null;
  return new RegExp(patterns.map((p) => `(?:${p.regex.source})`).join("|"), "i");
}

/**
 * A family's patterns (service idioms, need phrasings, ...) behind two levels of gates. Most
 * sentences match none, and one test of the family's gate settles that; a sentence that passes is
 * tested against small groups' gates, and only the patterns of the groups that match run one by one.
 * (Running all ~40 need patterns on every sentence that passed the family gate cost more than the
 * rest of the need analysis together.) Candidates come back in the family's order, so results do not
 * depend on the grouping.
 */
export class PatternSet<T> {
  readonly patterns: CompiledPattern<T>[];
  readonly #gate: RegExp | null;
  readonly #groups: Group<T>[] = [];

  constructor(patterns: CompiledPattern<T>[], groupSize = 6) {
    this.patterns = patterns;
    this.#gate = patternGate(patterns);
    for (let i = 0; i < patterns.length; i += groupSize) {
      const members = patterns.slice(i, i + groupSize);
      this.#groups.push({ gate: members.length > 1 ? patternGate(members) : null, patterns: members });
    }
  }

  /** The patterns that may match `text` (lower-cased as the family expects), in the family's order. */
  candidates(text: string): CompiledPattern<T>[] {
    const out: CompiledPattern<T>[] = [];
    if (this.patterns.length === 0 || (this.#gate && !this.#gate.test(text))) return out;
    for (const g of this.#groups) {
      if (g.gate && !g.gate.test(text)) continue;
      for (const p of g.patterns) out.push(p);
    }
    return out;
  }
}
