// Personal data of the Chinese, Korean and Spanish markets: national id numbers, checked by their own
// check digits or letters, and the mobile numbers of those regions. Found on text whose full-width
// digits and letters have been folded to ASCII (see foldWidth), so offsets are the original text's.

/** Any full-width form (U+FF01–U+FF5E) or the ideographic space. */
const WIDE = /[\uff01-\uff5e\u3000]/;

/**
 * Full-width ASCII forms (１２３, ＡＢＣ, －, ＋) and the ideographic space as their ASCII
 * counterparts. Each is one UTF-16 unit and so is its counterpart, so every offset into the folded
 * text is the same offset into the original: spans found on the folded text mask the original.
 */
export function foldWidth(text: string): string {
  if (!WIDE.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += c >= 0xff01 && c <= 0xff5e ? String.fromCharCode(c - 0xfee0) : c === 0x3000 ? " " : text[i];
  }
  return out;
}

const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_ID_CHECK = "10X98765432";

/** GB 11643-1999: 17 digits weighted mod 11, the 18th digit (or X) the check. */
export function chineseIdValid(raw: string): boolean {
  const id = raw.replace(/\s/g, "").toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * CN_ID_WEIGHTS[i];
  return (
    CN_ID_CHECK[sum % 11] === id[17] &&
    validDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))
  );
}

const RRN_WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/**
 * Korean resident registration number: YYMMDD, a sex/century digit 1–8 and six more, the last a mod-11
 * check. Numbers issued from October 2020 on have no check digit, so callers accept those only where
 * the number is named (see RRN_NAMED).
 */
export function koreanRrnChecksumValid(raw: string): boolean {
  const d = raw.replace(/\D/g, "");
  if (d.length !== 13) return false;
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += (d.charCodeAt(i) - 48) * RRN_WEIGHTS[i];
  return (11 - (sum % 11)) % 10 === d.charCodeAt(12) - 48;
}

/** The birth date of an RRN: the century comes from the seventh digit (1, 2, 5, 6: 1900s; 3, 4, 7, 8: 2000s). */
function rrnDateValid(d: string): boolean {
  const century = "1256".includes(d[6]) ? 1900 : 2000;
  return validDate(century + Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6)));
}

const DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";

/** Spanish DNI (8 digits) or NIE (X, Y or Z and 7 digits) with its check letter: the number mod 23. */
export function spanishIdValid(raw: string): boolean {
  const id = raw.replace(/[\s-]/g, "").toUpperCase();
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(id);
  if (!m) return false;
  if (m[1] ? m[2].length !== 7 : m[2].length !== 8) return false;
  // An NIE's letter stands for a leading digit: X 0, Y 1, Z 2.
  const number = Number((m[1] ? String("XYZ".indexOf(m[1])) : "") + m[2]);
  return DNI_LETTERS[number % 23] === m[3];
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1900 || y > 2100) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

// Numbers stand alone: no digit or Latin letter right before or after (CJK text has no spaces, so \b
// cannot be relied on; a Han character next to the number is a boundary).
const CN_ID = /(?<![0-9A-Za-z])\d{6} ?\d{8} ?\d{3}[\dXx](?![0-9A-Za-z])/g;
const RRN = /(?<![0-9A-Za-z-])(\d{6}) ?[-–]? ?([1-8]\d{6})(?![0-9A-Za-z-])/g;
/** The words that name an RRN, within a few characters before it. */
const RRN_NAMED = /(?:주민\s?(?:등록)?\s?번호|주민번호|RRN|resident registration)[^0-9]{0,8}$/i;
const ES_ID = /(?<![0-9A-Za-z])(?:\d{8}|[XYZxyz][ -]?\d{7})[ -]?[A-Za-z](?![0-9A-Za-z])/g;
// Mobile numbers with or without the country code, in the groupings each country writes: China
// 1[3-9]X XXXX XXXX (+86), Korea 01X-XXXX-XXXX (+82 10-…), Spain 6XX/7XX XXX XXX (+34).
const CN_MOBILE = /(?<![0-9A-Za-z+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?![0-9A-Za-z])/g;
const KR_MOBILE = /(?<![0-9A-Za-z+])(?:(?:\+|00)82[ -]?(?:\(0\))?1|01)[016789][ .-]?\d{3,4}[ .-]?\d{4}(?![0-9A-Za-z])/g;
const ES_MOBILE =
  /(?<![0-9A-Za-z+])(?:(?:\+|00)34[ -]?)?[67]\d{2}(?:[ -]?\d{3}[ -]?\d{3}|[ -]?\d{2}[ -]?\d{2}[ -]?\d{2})(?![0-9A-Za-z])/g;

export interface LocaleSpan {
  kind: "national_id" | "phone";
  start: number;
  end: number;
}

function each(
  re: RegExp,
  text: string,
  keep: (m: RegExpExecArray) => boolean,
  kind: LocaleSpan["kind"],
  out: LocaleSpan[],
) {
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text))
    if (keep(m)) out.push({ kind, start: m.index, end: m.index + m[0].length });
}

/** National ids of China, Korea and Spain in `text` (already width-folded), each check passed; in text order. */
export function localeIds(text: string): LocaleSpan[] {
  const out: LocaleSpan[] = [];
  each(CN_ID, text, (m) => chineseIdValid(m[0]), "national_id", out);
  each(
    RRN,
    text,
    (m) => {
      const digits = m[1] + m[2];
      return (
        rrnDateValid(digits) &&
        (koreanRrnChecksumValid(digits) || RRN_NAMED.test(text.slice(Math.max(0, m.index - 24), m.index)))
      );
    },
    "national_id",
    out,
  );
  each(ES_ID, text, (m) => spanishIdValid(m[0]), "national_id", out);
  return ordered(out);
}

/** Chinese, Korean and Spanish mobile numbers in `text` (already width-folded); in text order. */
export function localePhones(text: string): LocaleSpan[] {
  const out: LocaleSpan[] = [];
  const any = () => true;
  each(CN_MOBILE, text, any, "phone", out);
  each(KR_MOBILE, text, any, "phone", out);
  each(ES_MOBILE, text, any, "phone", out);
  return ordered(out);
}

/** By start, overlapping spans dropped (the first found wins). */
function ordered(spans: LocaleSpan[]): LocaleSpan[] {
  spans.sort((a, b) => a.start - b.start);
  const out: LocaleSpan[] = [];
  for (const s of spans) if (out.length === 0 || out[out.length - 1].end <= s.start) out.push(s);
  return out;
}
