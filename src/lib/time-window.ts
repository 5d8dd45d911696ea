/**
 * The one bound on time windows that the API and the console accept, and the buckets an aggregate over
 * a window is drawn in. Pure: instants in, verdicts and bucket starts out (docs/limits.md lists where
 * each bound applies).
 *
 * Work over a window (buckets, scans, rows) must never be sized by the client alone: a window of
 * `from=0000-01-01&to=9999-12-31` in daily buckets is 3.65 million of them, more than the heap holds.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The earliest instant a window may name: the Unix epoch. Stored times are epoch milliseconds and no feed predates it. */
export const EARLIEST_INSTANT = Date.UTC(1970, 0, 1);
/** The first instant past the range a window may name; later dates are typos (a year 9999), not data. */
export const LATEST_INSTANT = Date.UTC(2100, 0, 1);

/**
 * The longest window an aggregate or a cross-customer search covers: two years (731 days, so a leap
 * year fits), enough for a year-on-year comparison. Longer questions are asked as several windows.
 */
export const MAX_WINDOW_DAYS = 731;
export const MAX_WINDOW_MS = MAX_WINDOW_DAYS * DAY;

export type BucketUnit = "hour" | "day" | "week" | "month";

/**
 * The finest bucket for a window of `spanMs`, keeping a chart between ~25 and ~100 points: hours up to
 * two days, days up to 92, ISO weeks (from Monday) up to 366, calendar months beyond.
 */
export function bucketUnitFor(spanMs: number): BucketUnit {
  if (spanMs <= 2 * DAY) return "hour";
  if (spanMs <= 92 * DAY) return "day";
  if (spanMs <= 366 * DAY) return "week";
  return "month";
}

/**
 * The most buckets any accepted window yields (49 hours, 93 days, 54 weeks or 25 months at the
 * thresholds above). `bucketStarts` refuses to build more, so no input can size an allocation.
 */
export const MAX_BUCKETS = 100;

/** The start of the bucket of `unit` holding `t` (UTC). */
export function bucketFloor(t: number, unit: BucketUnit): number {
  if (unit === "hour") return Math.floor(t / HOUR) * HOUR;
  const day = Math.floor(t / DAY);
  // 1970-01-01 was a Thursday: three days after a Monday.
  if (unit === "week") return (day - ((((day + 3) % 7) + 7) % 7)) * DAY;
  if (unit === "day") return day * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextBucket(t: number, unit: BucketUnit): number {
  if (unit === "hour") return t + HOUR;
  if (unit === "day") return t + DAY;
  if (unit === "week") return t + 7 * DAY;
  const d = new Date(t);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The starts of the buckets covering [from, to), oldest first; throws past MAX_BUCKETS (a caller skipped the bound). */
export function bucketStarts(from: number, to: number, unit: BucketUnit): number[] {
  const out: number[] = [];
  for (let t = bucketFloor(from, unit); t < to; t = nextBucket(t, unit)) {
    if (out.length === MAX_BUCKETS)
      throw new RangeError(`a window of ${unit}s from ${from} to ${to} needs more than ${MAX_BUCKETS} buckets`);
    out.push(t);
  }
  return out;
}

/** Which of `starts` (ascending) holds `t`, or -1 before the first. */
export function bucketIndex(starts: number[], t: number): number {
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** A bucket's label: "2026-03-10T11:00" for hours, "2026-03-10" for days and weeks (their Monday), "2026-03" for months. */
export function bucketLabel(start: number, unit: BucketUnit): string {
  const iso = new Date(start).toISOString();
  return unit === "hour" ? `${iso.slice(0, 13)}:00` : unit === "month" ? iso.slice(0, 7) : iso.slice(0, 10);
}

export const instantInRange = (d: Date) =>
  Number.isFinite(d.getTime()) && d.getTime() >= EARLIEST_INSTANT && d.getTime() < LATEST_INSTANT;

export const INSTANT_RANGE_MESSAGE = "must be between 1970-01-01T00:00:00Z and 2100-01-01T00:00:00Z";
export const SPAN_MESSAGE = `must be at most ${MAX_WINDOW_DAYS} days after from`;
