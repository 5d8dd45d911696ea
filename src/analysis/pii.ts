import type { PiiKind } from "./lexicon-schema.js";
import type { Lexicons } from "./lexicons.js";
import { foldWidth, localeIds, localePhones } from "./pii-locales.js";

export interface PiiSpan {
  kind: PiiKind;
  start: number;
  end: number;
}

// Parts bounded by the lengths mail allows (local part 64, labels 63): with open-ended runs, every
// position of a long run of letters and digits scanned to its end looking for an "@", which made a
// 64 KB run of digits take seconds (quadratic).
const EMAIL = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const ACCOUNT = /\b(?:account|acct|a\/c)(?:\s+(?:number|no\.?|num|#))?\s*(?:is|:|#)?\s*(\d[\d -]{4,18}\d)\b/gi;
// A number starts where a run of digits starts (the lookbehind): without it every position inside a long
// run is tried with every grouping, ~5 µs per digit (5 s for a megabyte of digits).
const PHONE = /(?<!\d)(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]?\d{2,4}){1,3}\b/g;
// US Social Security number, in the SSA's valid ranges (area 001-899 but not 666, group 01-99,
// serial 0001-9999), written with one separator used twice. Checked before phones, which the same
// nine digits also look like.
const SSN = /(?<![\w-])(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![\w-]|[.,]\d)/g;
// UK sort code after the words that name it, in any spacing: "sort code 12-34-56", "s/c: 123456".
const SORT_CODE_NAMED = /\b(?:sort[\s-]?code|s\/c)\b\s*(?:is|:|#|=)?\s*(\d{2}([-\s]?)\d{2}\2\d{2})(?![\w-])/gi;
// Three hyphenated pairs without those words: "12-03-24" is also a date, so only pairs that cannot be
// read as one (see isDateTriple) count.
const SORT_CODE_BARE = /(?<![\w./:-])(\d{2})-(\d{2})-(\d{2})(?![\w/:-]|[.,]\d)/g;
const MONTH =
  "(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?";
const FULL_DATE =
  "(?:\\d{1,2}[./-]\\d{1,2}[./-](?:\\d{4}|\\d{2})|\\d{4}[./-]\\d{1,2}[./-]\\d{1,2}" +
  `|\\d{1,2}(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH},?\\s+\\d{4}|${MONTH}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4})`;
// A date of birth is a full date (day, month and year) right after words that say it is one; any
// other date is left alone, as ordinary dates are what support conversations are full of.
const DOB = new RegExp(
  `\\b(?:d\\.?o\\.?b\\b\\.?|date\\s+of\\s+birth|birth\\s*date|birthday|born(?:\\s+on)?)(?:\\s+(?:is|was))?\\s*[:=#-]?\\s*(?:the\\s+)?(${FULL_DATE})(?![\\d/.-]*\\d)`,
  "gi",
);
const STREET =
  /\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\.?\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Mews)\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Unit|Flat)\.?\s*\w+)?/g;
const UK_POSTCODE = /\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/g;
const MAY_HOLD_PII = /[\d@\uff10-\uff19\uff20]/;
/** False when `text` cannot hold personal data of any kind detected here (each needs a digit or an @, either width). */
export const mayHoldPii = (text: string) => MAY_HOLD_PII.test(text);
/** The answer for text without personal data, shared (and frozen, so no caller can add to it). */
const NO_SPANS: PiiSpan[] = Object.freeze([]) as unknown as PiiSpan[];
const DATE_LIKE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/;

/** Whether three numbers can be read as a date: day-month-year, month-day-year or year-month-day. */
function isDateTriple(a: number, b: number, c: number): boolean {
  const day = (n: number) => n >= 1 && n <= 31;
  const month = (n: number) => n >= 1 && n <= 12;
  return (day(a) && month(b)) || (month(a) && day(b)) || (month(b) && day(c));
}

/** Luhn checksum, which every payment card number satisfies (filters out order numbers and the like). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check of an IBAN. */
export function ibanValid(raw: string): boolean {
  const iban = raw.replace(/\s+/g, "").toUpperCase();
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const v = ch >= "A" ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

/**
 * Every match of a global expression, from its `exec` loop: `matchAll` clones the RegExp on each call,
 * and this runs for every turn and every piece of evidence that holds a digit or an @.
 */
function matches(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === "") re.lastIndex++;
    out.push(m);
  }
  return out;
}

/**
 * `taken` and `found`, each ordered by start and disjoint, merged in order, less the found spans that
 * overlap a taken one. One sweep: a match list comes in text order, so the taken span to check moves
 * only forward.
 */
function mergeFree(taken: PiiSpan[], found: PiiSpan[]): PiiSpan[] {
  if (found.length === 0) return taken;
  const out: PiiSpan[] = [];
  let i = 0;
  for (const f of found) {
    while (i < taken.length && taken[i].end <= f.start) out.push(taken[i++]);
    // taken[i], if any, ends after f starts: they overlap unless it starts at or after f's end.
    if (i < taken.length && taken[i].start < f.end) continue;
    out.push(f);
  }
  while (i < taken.length) out.push(taken[i++]);
  return out;
}

/**
 * Finds personal data in text, in text order. Later kinds never overlap earlier ones. Each kind's
 * matches are merged into the spans found so far in one sweep; testing each match against every span
 * found before would be quadratic (0.3 s for 16,000 e-mail addresses; a 1 MB body of them would hold an
 * analysis worker for many seconds).
 */
export function detectPii(written: string): PiiSpan[] {
  // Every kind needs a digit or an @; most sentences have neither.
  if (!MAY_HOLD_PII.test(written)) return NO_SPANS;
  // Full-width digits (１３８…, common in Chinese and Japanese input) are read as digits; the folded
  // text has the same offsets.
  const text = foldWidth(written);
  const span = (kind: PiiKind, start: number, end: number): PiiSpan => ({ kind, start, end });
  let spans: PiiSpan[] = [];
  if (text.includes("@"))
    spans = mergeFree(
      spans,
      matches(EMAIL, text).map((m) => span("email", m.index, m.index + m[0].length)),
    );
  spans = mergeFree(
    spans,
    matches(IBAN, text).flatMap((m) => (ibanValid(m[0]) ? [span("iban", m.index, m.index + m[0].length)] : [])),
  );
  // National ids before cards: an 18-digit Chinese id passes the Luhn check one time in ten.
  spans = mergeFree(spans, localeIds(text));
  const cards: PiiSpan[] = [];
  for (const m of matches(CARD, text)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits))
      cards.push(span("card", m.index, m.index + m[0].length));
  }
  spans = mergeFree(spans, cards);
  spans = mergeFree(
    spans,
    matches(ACCOUNT, text).map((m) => {
      const start = m.index + m[0].lastIndexOf(m[1]);
      return span("account_number", start, start + m[1].length);
    }),
  );
  spans = mergeFree(
    spans,
    matches(SSN, text).map((m) => span("ssn", m.index, m.index + m[0].length)),
  );
  const sortCodes = matches(SORT_CODE_NAMED, text).map((m) => {
    const start = m.index + m[0].lastIndexOf(m[1]);
    return span("sort_code", start, start + m[1].length);
  });
  spans = mergeFree(spans, sortCodes);
  spans = mergeFree(
    spans,
    matches(SORT_CODE_BARE, text).flatMap((m) =>
      isDateTriple(Number(m[1]), Number(m[2]), Number(m[3])) ? [] : [span("sort_code", m.index, m.index + m[0].length)],
    ),
  );
  spans = mergeFree(
    spans,
    matches(DOB, text).map((m) => {
      const start = m.index + m[0].lastIndexOf(m[1]);
      return span("date_of_birth", start, start + m[1].length);
    }),
  );
  spans = mergeFree(spans, localePhones(text));
  const phones: PiiSpan[] = [];
  for (const m of matches(PHONE, text)) {
    const digits = m[0].replace(/\D/g, "");
    const international = m[0].startsWith("+") || m[0].startsWith("(");
    if (DATE_LIKE.test(m[0]) || digits.length > 15 || digits.length < (international ? 7 : 9)) continue;
    phones.push(span("phone", m.index, m.index + m[0].length));
  }
  spans = mergeFree(spans, phones);
  spans = mergeFree(
    spans,
    matches(STREET, text).map((m) => span("address", m.index, m.index + m[0].length)),
  );
  return mergeFree(
    spans,
    matches(UK_POSTCODE, text).map((m) => span("address", m.index, m.index + m[0].length)),
  );
}

/** Replaces the spans whose kind is set to be redacted with that kind's mask. */
export function redact(text: string, spans: PiiSpan[], config: Lexicons["pii"]): string {
  if (spans.length === 0) return text;
  let out = "";
  let at = 0;
  for (const s of spans) {
    const rule = config.get(s.kind);
    if (!rule?.redact) continue;
    out += text.slice(at, s.start) + rule.mask;
    at = s.end;
  }
  return out + text.slice(at);
}

export const redactText = (text: string, config: Lexicons["pii"]) => redact(text, detectPii(text), config);
