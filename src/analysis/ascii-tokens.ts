import type { Token, TokenKind } from "./text.js";

// The tokenizer's grammar (text.ts) for plain ASCII text, as a hand-written scanner: most customer
// text is ASCII, and one pass over character codes costs a fraction of the regular expression's
// alternation tried at every position. It must tokenise exactly as the expression does — same
// alternatives, tried in the same order at each position, first match wins — and a property test
// holds it to that on random text.

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number) => c >= 48 && c <= 57;
/** `\w` without the `u` flag. */
const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === 95;
/** `\s` for ASCII: space, \t \n \v \f \r. */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);
const at = (text: string, i: number) => (i < text.length ? text.charCodeAt(i) : -1);
/** `\b` before position i. */
const boundary = (text: string, i: number) =>
  (i > 0 && isWordChar(text.charCodeAt(i - 1))) !== (i < text.length && isWordChar(at(text, i)));

const COLON = 58;
const SEMICOLON = 59;
const APOSTROPHE = 39;
const HYPHEN = 45;
/** After ":" or ";" (and an optional "-"): ( ) D P p / | @ */
const EMOTICON_MOUTH = new Set([40, 41, 68, 80, 112, 47, 124, 64]);

/** `https?:\/\/\S+|www\.\S+`: the end of a URL starting at i, or -1. */
function url(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c !== 104 && c !== 119) return -1; // neither "h" nor "w": the common case, without three string compares
  let j = -1;
  if (text.startsWith("http://", i)) j = i + 7;
  else if (text.startsWith("https://", i)) j = i + 8;
  else if (text.startsWith("www.", i)) j = i + 4;
  if (j < 0 || j >= text.length || isSpace(text.charCodeAt(j))) return -1;
  while (j < text.length && !isSpace(text.charCodeAt(j))) j++;
  return j;
}

/** The emoticon alternatives, in the expression's order: the end of the match at i, or -1. */
function emoticon(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const n = at(text, i + 1);
  if (c === 62 && n === COLON && at(text, i + 2) === 40) return i + 3; // >:(
  if (c === COLON && n === APOSTROPHE && at(text, i + 2) === 40) return i + 3; // :'(
  if (c === COLON || c === SEMICOLON) {
    const j = n === HYPHEN ? i + 2 : i + 1;
    // (Were "-?" to backtrack, the mouth would have to be the "-" itself, which is not a mouth.)
    if (EMOTICON_MOUTH.has(at(text, j))) return j + 1;
  }
  if (c === 68 && n === COLON && boundary(text, i)) return i + 2; // \bD:
  if (c === 60 && n === 51) return i + 2; // <3
  if ((c === 120 || c === 88) && n === 68 && boundary(text, i) && boundary(text, i + 2)) return i + 2; // \b[xX]D\b
  return -1;
}

/** `[A-Za-z]+(?:'[A-Za-z]+)*(?:-[A-Za-z]+)*` */
function word(text: string, i: number): number {
  if (!isLetter(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (isLetter(at(text, j))) j++;
  while (at(text, j) === APOSTROPHE && isLetter(at(text, j + 1))) for (j += 2; isLetter(at(text, j)); j++);
  while (at(text, j) === HYPHEN && isLetter(at(text, j + 1))) for (j += 2; isLetter(at(text, j)); j++);
  return j;
}

const ORDINAL = ["st", "nd", "rd", "th"];

/** `\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?` */
function number(text: string, i: number): number {
  if (!isDigit(text.charCodeAt(i))) return -1;
  let j = i + 1;
  while (isDigit(at(text, j))) j++;
  for (;;) {
    const c = at(text, j);
    if ((c === 46 || c === 44 || c === COLON) && isDigit(at(text, j + 1))) for (j += 2; isDigit(at(text, j)); j++);
    else break;
  }
  for (const suffix of ORDINAL) if (text.startsWith(suffix, j)) return j + 2;
  return j;
}

const isBang = (c: number) => c === 33 || c === 63; // ! ?
const isStop = (c: number) => c === 46 || c === 44 || c === SEMICOLON || c === COLON; // . , ; :

/** `[!?]+|[.,;:]+` */
function punct(text: string, i: number): number {
  const c = text.charCodeAt(i);
  const run = isBang(c) ? isBang : isStop(c) ? isStop : null;
  if (!run) return -1;
  let j = i + 1;
  while (j < text.length && run(text.charCodeAt(j))) j++;
  return j;
}

/** Appends the tokens of ASCII `text` (offsets shifted by `offset`) to `tokens`. */
export function scanAscii(text: string, offset: number, tokens: Token[]): void {
  for (let i = 0; i < text.length; ) {
    let end: number;
    let kind: TokenKind;
    if ((end = url(text, i)) > 0) kind = "url";
    else if (text.charCodeAt(i) === 64 && isWordChar(at(text, i + 1))) {
      for (end = i + 2; isWordChar(at(text, end)); end++);
      kind = "mention";
    } else if ((end = emoticon(text, i)) > 0) kind = "emoticon";
    else if ((end = word(text, i)) > 0) kind = "word";
    else if ((end = number(text, i)) > 0) kind = "number";
    else if ((end = punct(text, i)) > 0) kind = "punct";
    else {
      i++;
      continue;
    }
    const raw = text.slice(i, end);
    const lower = kind === "emoticon" ? raw : kind === "mention" || kind === "url" ? "" : raw.toLowerCase();
    tokens.push({ text: raw, lower, kind, start: offset + i, end: offset + end });
    i = end;
  }
}
