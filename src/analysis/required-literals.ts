import { parseRegExpLiteral, type AST } from "@eslint-community/regexpp";

/**
 * What a regular expression tells about the text it can match, found from its syntax tree (parsed by
 * regexpp, the parser behind eslint-plugin-regexp) as in Russ Cox's "Regular Expression Matching with a
 * Trigram Index": `exact` is every string a node can match, while that set stays small; `required` is
 * a set of strings one of which every match contains, or null when nothing is known.
 */
interface Info {
  exact: Set<string> | null;
  required: Set<string> | null;
}

/** Past this many strings an exact set stops being worth tracking. */
const MAX_EXACT = 64;
/** A character class of at most this many characters is treated as a choice of literals. */
const MAX_CLASS = 8;

const EMPTY: Info = { exact: new Set([""]), required: null };
const ANY: Info = { exact: null, required: null };

/**
 * Lower-cased strings one of which occurs (lower-cased) in every match of `regex`, or null when the
 * expression can match without any literal (`\w+`, `.*`, a back-reference...). Case is folded because
 * the callers scan case-folded text: for a case-sensitive expression the answer is still a superset.
 */
export function requiredLiterals(regex: RegExp): string[] | null {
  const info = disjunction(parseRegExpLiteral(regex).pattern.alternatives);
  const set = usable(info);
  return set ? [...set] : null;
}

/** The set a node's matches must contain one of: its exact strings when known, else its required set. */
function usable(info: Info): Set<string> | null {
  const set = info.exact ?? info.required;
  if (!set || set.size === 0) return null;
  for (const s of set) if (s === "") return null;
  return set;
}

/** Shortest string of a set: a set is as selective as its shortest member. */
const quality = (set: Set<string> | null) => {
  if (!set) return 0;
  let min = Infinity;
  for (const s of set) min = Math.min(min, s.length);
  return min === Infinity ? 0 : min;
};

function disjunction(alternatives: AST.Alternative[]): Info {
  const infos = alternatives.map((a) => sequence(a.elements));
  let exact: Set<string> | null = new Set();
  for (const i of infos) {
    if (!i.exact || !exact) exact = null;
    else for (const s of i.exact) exact.add(s);
  }
  if (exact && exact.size > MAX_EXACT) exact = null;
  let required: Set<string> | null = new Set();
  for (const i of infos) {
    const set = usable(i);
    if (!set) {
      required = null;
      break;
    }
    for (const s of set) required.add(s);
  }
  return { exact, required };
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
    if (info.required) candidates.push(info.required);
    run = info.exact ? new Set(info.exact) : new Set([""]);
  }
  if (allExact) return { exact: run, required: null };
  if (run) candidates.push(run);
  let best: Set<string> | null = null;
  for (const c of candidates) if (quality(c) > quality(best)) best = c;
  return { exact: null, required: best };
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
      return { exact: new Set([String.fromCodePoint(n.value).toLowerCase()]), required: null };
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

function characterClass(n: AST.CharacterClass): Info {
  if (n.negate || n.unicodeSets) return ANY;
  const chars = new Set<string>();
  for (const e of n.elements) {
    if (e.type === "Character") chars.add(String.fromCodePoint(e.value).toLowerCase());
    else if (e.type === "CharacterClassRange" && e.max.value - e.min.value < MAX_CLASS) {
      for (let c = e.min.value; c <= e.max.value; c++) chars.add(String.fromCodePoint(c).toLowerCase());
    } else return ANY;
    if (chars.size > MAX_CLASS) return ANY;
  }
  return { exact: chars, required: null };
}

function quantifier(n: AST.Quantifier): Info {
  const inner = node(n.element);
  if (n.min === 0) return n.max === 1 && inner.exact ? { exact: new Set(["", ...inner.exact]), required: null } : ANY;
  // The mandatory repetitions: "!{3,}" needs "!!!", not just "!".
  let repeated: Set<string> | null = inner.exact && new Set([""]);
  for (let k = 0; k < n.min && repeated; k++) repeated = product(repeated, inner.exact!);
  if (repeated && n.min === n.max) return { exact: repeated, required: null };
  return { exact: null, required: repeated ?? usable(inner) };
}
