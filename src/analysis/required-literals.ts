import { parseRegExpLiteral, type AST } from "@eslint-community/regexpp";

/**
 * What a regular expression tells about the text it can match, found from its syntax tree (parsed by
 * regexpp, the parser behind eslint-plugin-regexp) as in Russ Cox's "Regular Expression Matching with a
 * Trigram Index": `exact` is every string a node can match, while that set stays small; `required` is
 * a list of sets, each holding strings one of which every match contains (all the sets must be met:
 * "want ... cancel" needs one of the wanting words and one of the cancelling words).
 */
interface Info {
  exact: Set<string> | null;
  required: Set<string>[];
}

/** Past this many strings an exact set stops being worth tracking. */
const MAX_EXACT = 64;
/** A character class of at most this many characters is treated as a choice of literals. */
const MAX_CLASS = 8;
/** Sets whose shortest string is shorter than this occur almost everywhere: kept only when nothing better is known. */
const MIN_SELECTIVE = 3;

const EMPTY: Info = { exact: new Set([""]), required: [] };
const ANY: Info = { exact: null, required: [] };

/**
 * Groups of lower-cased strings such that every match of `regex` contains (lower-cased) one string of
 * each group; null when the expression can match without any literal (`\w+`, `.*`, a back-reference).
 * Case is folded because the callers scan case-folded text: for a case-sensitive expression the answer
 * is still a superset.
 */
export function requiredLiterals(regex: RegExp): string[][] | null {
  let pattern: AST.Pattern;
  try {
    pattern = parseRegExpLiteral(regex).pattern;
  } catch {
    // Syntax newer than the parser knows: the pattern simply runs on every sentence.
    return null;
  }
  const groups = usable(disjunction(pattern.alternatives));
  return groups.length ? groups.map((g) => [...g]) : null;
}

/** The sets a node's matches must meet: its exact strings when known, else its required sets. */
function usable(info: Info): Set<string>[] {
  if (info.exact) return info.exact.size > 0 && !info.exact.has("") ? [info.exact] : [];
  return info.required;
}

/** Shortest string of a set: a set is as selective as its shortest member. */
const quality = (set: Set<string>) => {
  let min = Infinity;
  for (const s of set) min = Math.min(min, s.length);
  return min === Infinity ? 0 : min;
};

/** The most selective of several sets, or none. */
function best(sets: Set<string>[]): Set<string> | null {
  let top: Set<string> | null = null;
  for (const s of sets) if (quality(s) > (top ? quality(top) : 0)) top = s;
  return top;
}

function disjunction(alternatives: AST.Alternative[]): Info {
  const infos = alternatives.map((a) => sequence(a.elements));
  if (infos.length === 1) return infos[0];
  let exact: Set<string> | null = new Set();
  for (const i of infos) {
    if (!i.exact || !exact) exact = null;
    else for (const s of i.exact) exact.add(s);
  }
  if (exact && exact.size > MAX_EXACT) exact = null;
  // One of the alternatives matches: the union of each one's most selective set.
  const union = new Set<string>();
  for (const i of infos) {
    const set = best(usable(i));
    if (!set) return { exact, required: [] };
    for (const s of set) union.add(s);
  }
  return { exact, required: [union] };
}

function sequence(elements: AST.Element[]): Info {
  const candidates: Set<string>[] = [];
  let run: Set<string> | null = new Set([""]);
  let allExact = true;
  for (const element of elements) {
    const info = node(element);
    const joined: Set<string> | null = run && info.exact ? product(run, info.exact) : null;
    if (joined) {
      run = joined;
      continue;
    }
    allExact = false;
    if (run) candidates.push(run);
    candidates.push(...info.required);
    run = info.exact ? new Set(info.exact) : new Set([""]);
  }
  if (allExact) return { exact: run, required: [] };
  if (run) candidates.push(run);
  // Every element of a sequence matches, so each selective set is required; with none selective, the best there is.
  const selective = candidates.filter((c) => quality(c) >= MIN_SELECTIVE);
  const fallback = best(candidates);
  return { exact: null, required: selective.length ? selective : fallback ? [fallback] : [] };
}

function product(a: Set<string>, b: Set<string>): Set<string> | null {
  if (a.size * b.size > MAX_EXACT) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function node(n: AST.Element): Info {
  switch (n.type) {
    case "Character":
      return literal(n.value);
    case "CharacterClass":
      return characterClass(n);
    case "Group":
    case "CapturingGroup":
      return disjunction(n.alternatives);
    case "Quantifier":
      return quantifier(n);
    case "Assertion":
      // Anchors and look-arounds consume nothing: a superset of what the expression needs is still safe.
      return EMPTY;
    default:
      // Character sets (\d, \s, ., \p{...}), back-references: any text at all.
      return ANY;
  }
}

/**
 * One character, lower-cased. A character whose lower case is longer ("İ" → "i̇") is left unknown:
 * the automaton folds the text one character at a time and would never see the longer form.
 */
function literal(codePoint: number): Info {
  const c = String.fromCodePoint(codePoint);
  const lower = c.toLowerCase();
  return lower.length === c.length ? { exact: new Set([lower]), required: [] } : ANY;
}

function characterClass(n: AST.CharacterClass): Info {
  if (n.negate || n.unicodeSets) return ANY;
  const chars = new Set<string>();
  for (const e of n.elements) {
    const codes =
      e.type === "Character"
        ? [e.value]
        : e.type === "CharacterClassRange" && e.max.value - e.min.value < MAX_CLASS
          ? range(e.min.value, e.max.value)
          : null;
    if (!codes) return ANY;
    for (const code of codes) {
      const one = literal(code).exact;
      if (!one) return ANY;
      for (const c of one) chars.add(c);
    }
    if (chars.size > MAX_CLASS) return ANY;
  }
  return { exact: chars, required: [] };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function quantifier(n: AST.Quantifier): Info {
  const inner = node(n.element);
  if (n.min === 0) return n.max === 1 && inner.exact ? { exact: new Set(["", ...inner.exact]), required: [] } : ANY;
  // The mandatory repetitions: "!{3,}" needs "!!!", not just "!".
  let repeated: Set<string> | null = inner.exact && new Set([""]);
  for (let k = 0; k < n.min && repeated; k++) repeated = product(repeated, inner.exact!);
  if (repeated && n.min === n.max) return { exact: repeated, required: [] };
  return { exact: null, required: repeated && !repeated.has("") ? [repeated] : usable(inner) };
}
