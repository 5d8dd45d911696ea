// Sentence splitting and tokenising with character offsets. Hand-written rather than natural's
// tokenizers because the pipeline needs offsets (for redaction and highlighting), emoticons and emoji
// as tokens, and contractions kept whole ("doesn't") so negation rules can see them.

import { scanAscii } from "./ascii-tokens.js";

/** Mentions (@name) and URLs are names and addresses, not words: they are kept as tokens but never scored. */
export type TokenKind = "word" | "number" | "emoji" | "emoticon" | "punct" | "mention" | "url";

export interface Token {
  text: string;
  lower: string;
  kind: TokenKind;
  start: number;
  end: number;
}

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

const EMOTICON = String.raw`(?:>:\(|:'\(|[:;]-?[()DPp/|@]|\bD:|<3|\b[xX]D\b)`;
const WORD = String.raw`[\p{L}][\p{L}\p{M}]*(?:['’][\p{L}]+)*(?:-[\p{L}]+)*`;
const NUMBER = String.raw`\d+(?:[.,:]\d+)*(?:st|nd|rd|th)?`;
const EMOJI = String.raw`\p{Extended_Pictographic}(?:\u200d\p{Extended_Pictographic})*`;
// Full-width forms (，。！？；：、) are punctuation too: CJK text has no spaces, so they alone mark clauses.
const PUNCT = String.raw`[!?！？]+|[.,;:…，。、；：．]+|[—–～]`;
const NAME = String.raw`(https?:\/\/\S+|www\.\S+)|(@\w+)`;
const TOKEN_RE = new RegExp(`${NAME}|(${EMOTICON})|(${WORD})|(${NUMBER})|(${EMOJI})|(${PUNCT})`, "gu");
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL.
const NON_ASCII = /[^\x00-\x7f]/;
const CURLY_APOSTROPHE = /’/g;

/** Tokens with offsets (shifted by `offset`). Plain ASCII text, most customer text, takes a hand-written scanner of the same grammar. */
export function tokenize(text: string, offset = 0): Token[] {
  if (NON_ASCII.test(text)) return tokenizeByExpression(text, offset);
  const tokens: Token[] = [];
  scanAscii(text, offset, tokens);
  return tokens;
}

/** The grammar as one regular expression: its alternatives tried in order at each position, the first that matches wins. */
export function tokenizeByExpression(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  const re = TOKEN_RE;
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const kind: TokenKind = m[1]
      ? "url"
      : m[2]
        ? "mention"
        : m[3]
          ? "emoticon"
          : m[4]
            ? "word"
            : m[5]
              ? "number"
              : m[6]
                ? "emoji"
                : "punct";
    const raw = m[0];
    const lower =
      kind === "emoticon"
        ? raw
        : kind === "mention" || kind === "url"
          ? ""
          : raw.toLowerCase().replace(CURLY_APOSTROPHE, "'");
    tokens.push({ text: raw, lower, kind, start: offset + m.index, end: offset + m.index + raw.length });
  }
  return tokens;
}

// Module-level, not inline: the build lowers `\p{...}` literals to `new RegExp(...)`, which an inline
// literal would then run on every call.
const SINGLE_LETTER = /^\p{L}$/u;
const TRAILING_WORD = /([\p{L}.]+)$/u;

const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "ms",
  "dr",
  "st",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "inc",
  "ltd",
  "co",
  "no",
  "approx",
  "dept",
  "jr",
  "sr",
]);

/** Any CJK ideograph, kana, Hangul syllable or full-width form: the scripts written without spaces between sentences. */
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uff01-\uff5e]/;

/**
 * Where a sentence ends: punctuation followed by space; ideographic and full-width 。！？ (and a
 * half-width ! ? … typed between CJK characters) without any; a Korean sentence ending (…요, …니다,
 * …었다, …죠) before the next clause when the writer left out the full stop; and line breaks.
 * A match starts only where a run of punctuation starts (the lookbehinds): otherwise a long run not
 * followed by a space ("!!!!…") was tried again from each of its characters, quadratic in its length.
 */
const BOUNDARY =
  /(?<![.!?…])([.!?…]+)(["')\]]*)(\s+)|(?<![。！？.!?…])([。！？]+|[.!?…]+(?=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]))([」』”’）)"]*)(\s*)|(?<=[\uac00-\ud7af](?:요|니다|[었았였겠했됐]다|죠))()()(\s+)(?=[\uac00-\ud7af])|\n+/g;

/**
 * Splits at sentence-final punctuation followed by space (or, in CJK text, none), at Korean sentence
 * endings, and at line breaks (chat lines, email paragraphs), keeping offsets into the original text.
 */
export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  const cjk = CJK.test(text);
  const boundary = cjk ? BOUNDARY : /(?<![.!?…])([.!?…]+)(["')\]]*)(\s+)|\n+/g;
  boundary.lastIndex = 0;
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed) out.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
  };
  for (let m = boundary.exec(text); m !== null; m = boundary.exec(text)) {
    const at = m.index;
    if (m[1] === ".") {
      const word = TRAILING_WORD.exec(text.slice(Math.max(0, at - 6), at))?.[1]?.toLowerCase();
      if (word && (ABBREVIATIONS.has(word) || SINGLE_LETTER.test(word))) continue;
    }
    // Groups 1–3 are the space-separated ending, 4–6 the CJK one, 7–9 the Korean ending (empty marks).
    const end = m[1] ? at + m[1].length + m[2].length : m[4] ? at + m[4].length + m[5].length : at;
    push(end);
    start = at + m[0].length;
  }
  push(text.length);
  return out;
}

/** Two or more characters, at least one letter, none of them lower-case ("WORST", "I'M"). */
export function isAllCaps(s: string): boolean {
  if (s.length < 2) return false;
  let letter = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Outside ASCII, case needs Unicode's tables: compare with the converted string instead.
    if (c > 0x7f) return s === s.toUpperCase() && s !== s.toLowerCase();
    if (c >= 97 && c <= 122) return false;
    if (c >= 65 && c <= 90) letter = true;
  }
  return letter;
}
