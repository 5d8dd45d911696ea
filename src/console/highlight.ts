import type { Driver } from "../analysis/sentiment.js";

export interface Segment {
  text: string;
  /** The driver these words are, when they are one. */
  driver?: Driver;
}

const isWordChar = (ch: string | undefined) => !!ch && /[\p{L}\p{N}]/u.test(ch);
/**
 * Scripts written without spaces between words (Chinese, Japanese kana) or whose words take
 * particles and endings (Korean 안좋아요 holds the driver 좋아요): a driver there is a run of
 * characters, so it needs no word boundary.
 */
const unspaced = (ch: string | undefined) =>
  !!ch && /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch);
/** Whether the word characters at `a` and `b` touch across a word boundary (both letters of a spaced script). */
const joined = (a: string | undefined, b: string | undefined) =>
  isWordChar(a) && isWordChar(b) && !unspaced(a) && !unspaced(b);

/**
 * Splits text into plain runs and the runs that drove its sentiment, so a page can mark the words an
 * agent should see. Drivers are found case-insensitively at word boundaries; where two overlap, the
 * earlier (then the longer) wins.
 */
export function highlightSegments(text: string, drivers: Driver[]): Segment[] {
  const lower = text.toLowerCase();
  // Lower-casing can change lengths for a few scripts; offsets would drift, so such text stays plain.
  if (lower.length !== text.length || drivers.length === 0) return [{ text }];
  const found: Array<{ start: number; end: number; driver: Driver }> = [];
  for (const driver of drivers) {
    const term = driver.term.toLowerCase().trim();
    if (!term) continue;
    for (let at = lower.indexOf(term); at !== -1; at = lower.indexOf(term, at + 1)) {
      const end = at + term.length;
      const bounded = !joined(term[0], lower[at - 1]) && !joined(term[term.length - 1], lower[end]);
      if (bounded) found.push({ start: at, end, driver });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const segments: Segment[] = [];
  let cursor = 0;
  for (const f of found) {
    if (f.start < cursor) continue;
    if (f.start > cursor) segments.push({ text: text.slice(cursor, f.start) });
    segments.push({ text: text.slice(f.start, f.end), driver: f.driver });
    cursor = f.end;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor) });
  return segments;
}
