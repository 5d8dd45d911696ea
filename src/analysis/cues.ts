import type { Cue } from "./lexicons.js";
import type { PatternSet } from "./pattern-set.js";
import type { TermMatcher } from "./term-matcher.js";
import { firstEndingAfter } from "./ordered.js";
import type { Token } from "./text.js";
import type { TokenInfo } from "./token-info.js";

export interface CueHit {
  id: string;
  weight: number;
  evidence: string;
  /** Token index where the hit starts, or -1 when it is not tied to a token. */
  at: number;
}

const NEGATORS = /^(?:not|no|never|nothing|none|nobody|without|hardly|cannot|.*n't)$/;

/** True when one of the three tokens before `at` (within the clause) negates it. */
export function isNegated(tokens: Token[], at: number): boolean {
  for (let j = at - 1; j >= 0 && j >= at - 3; j--) {
    const t = tokens[j];
    if (t.kind === "punct") return false;
    if (NEGATORS.test(t.lower)) return true;
  }
  return false;
}

/**
 * All term and pattern cues of one sentence, as written. With `lowerCase`, patterns run on the
 * lower-cased sentence and every piece of evidence is lower-cased; the lower-cased copy is made only
 * when a pattern may match (most sentences have none), and evidence is lower-cased piece by piece.
 */
export function findCues(
  sentence: string,
  tokens: Token[],
  stems: string[],
  terms: TermMatcher<Cue[]>,
  patterns?: PatternSet<Cue>,
  lowerCase = false,
  infos?: ReadonlyArray<TokenInfo<unknown>>,
  family = 0,
): CueHit[] {
  const hits: CueHit[] = [];
  for (const m of terms.match(tokens, stems, infos, family)) {
    const written = sentence.slice(tokens[m.from].start, tokens[m.to - 1].end);
    const evidence = lowerCase ? written.toLowerCase() : written;
    for (const cue of m.payload) hits.push({ id: cue.id, weight: cue.weight, evidence, at: m.from });
  }
  if (!patterns) return hits;
  const candidates = patterns.candidates(sentence);
  if (candidates.length === 0) return hits;
  const text = lowerCase ? sentence.toLowerCase() : sentence;
  for (const { regex, payload } of candidates) {
    const m = regex.exec(text);
    if (!m) continue;
    // Anchor the hit at the token where the match starts, so "don't want to cancel" can be seen as negated.
    const first = firstEndingAfter(tokens, "end", m.index);
    const at = first < tokens.length ? first : -1;
    hits.push({ id: payload.id, weight: payload.weight, evidence: m[0].trim() || text, at });
  }
  return hits;
}
