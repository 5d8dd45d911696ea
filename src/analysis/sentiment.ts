import type { Lexicons } from "./lexicons.js";
import { isAllCaps, tokenize, type Token } from "./text.js";

export interface Driver {
  /** The words as written. */
  term: string;
  /** Contribution to the sentence's raw score (AFINN scale, after modifiers). */
  weight: number;
  /** Rules that shaped it: negated, intensified, downtoned, caps, contrast-before, contrast-after, phrase, or a pattern id. */
  rules: string[];
  reason?: string;
}

export interface Clause {
  from: number;
  to: number;
  score: number;
}

export interface SentenceSentiment {
  score: number;
  drivers: Driver[];
  tokens: Token[];
  /** Clause boundaries (token indexes) with their own scores, for topic-level sentiment. */
  clauses: Clause[];
}

// Constants from VADER (Hutto & Gilbert 2014), which calibrated them against human ratings.
const NEGATION_SCALAR = -0.74;
/** Negating a negative word ("not bad", "don't hate it") yields a mild positive, not a strong one. */
const NEGATED_NEGATIVE_SCALAR = -0.3;
const CAPS_SCALAR = 1.3;
const EXCLAMATION_BOOST = 0.292;
const NORMALISATION_ALPHA = 15;
const SCOPE = 3;

export const normaliseScore = (raw: number) => raw / Math.sqrt(raw * raw + NORMALISATION_ALPHA);

const isBoundary = (t: Token) => t.kind === "punct" && /[.,;:!?…—–]/.test(t.text);

/** Scores one sentence: phrases and patterns first, then words with negation, modifiers, caps and contrast. */
export function scoreSentence(text: string, lex: Lexicons["sentiment"]): SentenceSentiment {
  const tokens = tokenize(text);
  const consumed = new Array<boolean>(tokens.length).fill(false);
  const items: Array<{ at: number; driver: Driver }> = [];
  const lower = text.toLowerCase().replace(/’/g, "'");

  // 1. Service idioms and negative facts (regular expressions over the sentence).
  for (const { regex, payload } of lex.patternGate && !lex.patternGate.test(lower) ? [] : lex.patterns) {
    // exec with lastIndex, not matchAll: matchAll clones the RegExp on every call, which dominated the cost.
    regex.lastIndex = 0;
    for (let m = regex.exec(lower); m !== null; m = regex.exec(lower)) {
      if (m[0] === "") regex.lastIndex++;
      const from = m.index;
      const to = from + m[0].length;
      const covered = tokens.map((t, i) => (t.start < to && t.end > from ? i : -1)).filter((i) => i >= 0);
      if (covered.length === 0 || covered.some((i) => consumed[i])) continue;
      for (const i of covered) consumed[i] = true;
      items.push({ at: covered[0], driver: { term: text.slice(from, to), weight: payload.valence, rules: [payload.id], reason: payload.reason } });
    }
  }

  // 2. Multi-word phrases, longest first.
  for (let i = 0; i < tokens.length; i++) {
    if (consumed[i]) continue;
    for (const p of lex.phrases.get(tokens[i].lower) ?? []) {
      if (!p.tokens.every((w, k) => tokens[i + k]?.lower === w && !consumed[i + k])) continue;
      const last = i + p.tokens.length - 1;
      for (let k = i; k <= last; k++) consumed[k] = true;
      if (p.valence !== 0) {
        const driver = { term: text.slice(tokens[i].start, tokens[last].end), weight: p.valence, rules: ["phrase"] };
        applyContext(tokens, i, driver, lex);
        items.push({ at: i, driver });
      }
      break;
    }
  }

  // 3. Single words, emoji and emoticons.
  const wordTokens = tokens.filter((t) => t.kind === "word");
  const shouting = wordTokens.length >= 3 && wordTokens.every((t) => isAllCaps(t.text) || t.text.length < 2);
  for (let i = 0; i < tokens.length; i++) {
    if (consumed[i]) continue;
    const t = tokens[i];
    const valence =
      lex.words.get(t.lower) ??
      (t.kind === "emoticon" ? lex.words.get(t.text) : t.kind === "word" && lex.stemmed ? lex.stemmed.words.get(lex.stemmed.stem(t.lower)) : undefined);
    if (!valence) continue;
    const driver: Driver = { term: t.text, weight: valence, rules: [] };
    applyContext(tokens, i, driver, lex);
    if (t.kind === "word" && isAllCaps(t.text) && t.text.length >= 3 && !shouting) {
      driver.weight *= CAPS_SCALAR;
      driver.rules.push("caps");
    }
    items.push({ at: i, driver });
  }

  // 4. Contrast: after "but"/"however" the second clause dominates; "although X, Y" lowers X.
  const contrastAt = tokens.findIndex((t, i) => i > 0 && lex.contrastAfter.has(t.lower) && !consumed[i]);
  const concessive = tokens.length > 0 && lex.contrastBefore.has(tokens[0].lower);
  const concessiveEnd = concessive ? tokens.findIndex((t) => t.kind === "punct" && t.text === ",") : -1;
  const clauseCuts = new Set<number>();
  if (contrastAt > 0) {
    clauseCuts.add(contrastAt);
    for (const it of items) {
      const before = it.at < contrastAt;
      it.driver.weight *= before ? 0.5 : 1.5;
      it.driver.rules.push(before ? "contrast-before" : "contrast-after");
    }
  } else if (concessiveEnd > 0) {
    clauseCuts.add(concessiveEnd);
    for (const it of items) {
      const before = it.at < concessiveEnd;
      it.driver.weight *= before ? 0.5 : 1.5;
      it.driver.rules.push(before ? "contrast-before" : "contrast-after");
    }
  }
  for (let i = 0; i < tokens.length; i++) if (tokens[i].text === ";") clauseCuts.add(i);

  let raw = items.reduce((sum, it) => sum + it.driver.weight, 0);
  // 5. Exclamation marks amplify whatever the sentence already says (up to four count).
  if (raw !== 0) {
    const bangs = Math.min(4, (text.match(/!/g) ?? []).length);
    raw += Math.sign(raw) * bangs * EXCLAMATION_BOOST;
  }
  if (shouting && raw !== 0) raw *= 1.15;

  return { score: round(normaliseScore(raw)), drivers: items.sort((a, b) => a.at - b.at).map((i) => round3(i.driver)), tokens, clauses: clausesOf(tokens.length, clauseCuts, items) };
}

/** Looks back up to three tokens (within the clause) for a negator and for intensifiers or downtoners. */
function applyContext(tokens: Token[], i: number, driver: Driver, lex: Lexicons["sentiment"]) {
  let scale = 0;
  let negated = false;
  for (let j = i - 1, step = 0; j >= 0 && step < SCOPE; j--, step++) {
    const t = tokens[j];
    if (isBoundary(t) || lex.contrastAfter.has(t.lower)) break;
    const mod = lex.modifiers.get(t.lower);
    if (mod !== undefined) scale += mod * (1 - 0.05 * step);
    if (lex.negators.has(t.lower) || t.lower.endsWith("n't")) {
      // "not only ... but" and "no doubt" are not negations of what follows.
      const next = tokens[j + 1]?.lower;
      if (next !== "only" && next !== "doubt" && next !== "just") negated = true;
    }
  }
  if (scale !== 0) {
    driver.weight *= 1 + scale;
    driver.rules.push(scale > 0 ? "intensified" : "downtoned");
  }
  if (negated) {
    driver.weight *= driver.weight > 0 ? NEGATION_SCALAR : NEGATED_NEGATIVE_SCALAR;
    driver.rules.push("negated");
  }
}

function clausesOf(n: number, cuts: Set<number>, items: Array<{ at: number; driver: Driver }>): Clause[] {
  const bounds = [0, ...[...cuts].sort((a, b) => a - b), n];
  const clauses: Clause[] = [];
  for (let k = 0; k < bounds.length - 1; k++) {
    const from = bounds[k];
    const to = bounds[k + 1];
    if (to <= from) continue;
    // Clause scores use the unweighted contributions: topic sentiment should not depend on clause order.
    const raw = items
      .filter((it) => it.at >= from && it.at < to)
      .reduce((s, it) => s + it.driver.weight / (it.driver.rules.includes("contrast-before") ? 0.5 : it.driver.rules.includes("contrast-after") ? 1.5 : 1), 0);
    clauses.push({ from, to, score: round(normaliseScore(raw)) });
  }
  return clauses;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const round3 = (d: Driver): Driver => {
  d.weight = round(d.weight);
  return d;
};

export function labelOf(score: number, labels: { positive: number; negative: number }): "positive" | "neutral" | "negative" {
  return score >= labels.positive ? "positive" : score <= labels.negative ? "negative" : "neutral";
}
