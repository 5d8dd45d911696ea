import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketFloor,
  bucketIndex,
  bucketLabel,
  bucketStarts,
  bucketUnitFor,
  EARLIEST_INSTANT,
  LATEST_INSTANT,
  MAX_BUCKETS,
  MAX_WINDOW_MS,
} from "../src/lib/time-window.js";

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

describe("buckets for a window", () => {
  it.each([
    ["one day", "2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z", "hour", 24, "2026-03-10T00:00"],
    ["30 days", "2026-02-08T00:00:00Z", "2026-03-10T00:00:00Z", "day", 30, "2026-02-08"],
    ["a year", "2025-03-10T00:00:00Z", "2026-03-10T00:00:00Z", "week", 53, "2025-03-10"],
    ["two years", "2024-03-10T00:00:00Z", "2026-03-10T00:00:00Z", "month", 25, "2024-03"],
  ])("%s: %s buckets", (_name, from, to, unit, count, first) => {
    expect(bucketUnitFor(at(to) - at(from))).toBe(unit);
    const starts = bucketStarts(at(from), at(to), unit as "hour");
    expect(starts).toHaveLength(count);
    expect(bucketLabel(starts[0], unit as "hour")).toBe(first);
  });

  it("starts weeks on Monday and months on the 1st, in UTC", () => {
    // 2026-03-12 is a Thursday; 1970-01-01 (day 0) was one too, and 1969-12-29 a Monday.
    expect(new Date(bucketFloor(at("2026-03-12T15:00:00Z"), "week")).toISOString()).toBe("2026-03-09T00:00:00.000Z");
    expect(new Date(bucketFloor(at("2026-03-09T00:00:00Z"), "week")).toISOString()).toBe("2026-03-09T00:00:00.000Z");
    expect(new Date(bucketFloor(0, "week")).toISOString()).toBe("1969-12-29T00:00:00.000Z");
    const months = bucketStarts(at("2024-01-31T00:00:00Z"), at("2024-04-01T00:00:00Z"), "month").map((t) =>
      bucketLabel(t, "month"),
    );
    expect(months).toEqual(["2024-01", "2024-02", "2024-03"]);
  });

  it("finds the bucket of an instant", () => {
    const starts = bucketStarts(at("2026-01-01T00:00:00Z"), at("2026-04-01T00:00:00Z"), "month");
    expect(bucketIndex(starts, at("2025-12-31T23:59:59Z"))).toBe(-1);
    expect(bucketIndex(starts, at("2026-01-01T00:00:00Z"))).toBe(0);
    expect(bucketIndex(starts, at("2026-02-28T23:00:00Z"))).toBe(1);
    expect(bucketIndex(starts, at("2026-03-31T23:59:59Z"))).toBe(2);
  });

  it("refuses to build more than MAX_BUCKETS, so a caller that skips the bound fails small", () => {
    expect(() => bucketStarts(at("1000-01-01T00:00:00Z"), at("3000-01-01T00:00:00Z"), "day")).toThrow(RangeError);
  });

  it("any window the bound accepts has at most MAX_BUCKETS buckets, each holding its instants", () => {
    const instant = fc.integer({ min: EARLIEST_INSTANT, max: LATEST_INSTANT - 1 });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: MAX_WINDOW_MS }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (from, span, where) => {
          const to = from + span;
          const unit = bucketUnitFor(span);
          const starts = bucketStarts(from, to, unit);
          expect(starts.length).toBeLessThanOrEqual(MAX_BUCKETS);
          expect(starts[0]).toBeLessThanOrEqual(from);
          const t = Math.floor(from + where * (span - 1));
          const b = bucketIndex(starts, t);
          expect(b).toBeGreaterThanOrEqual(0);
          expect(starts[b]).toBeLessThanOrEqual(t);
          if (b + 1 < starts.length) expect(starts[b + 1]).toBeGreaterThan(t);
        },
      ),
      { numRuns: 2000, seed: 20261201 },
    );
    // The worst cases at each threshold.
    for (const span of [2 * DAY, 92 * DAY, 366 * DAY, MAX_WINDOW_MS])
      expect(
        bucketStarts(at("2027-12-31T23:30:00Z"), at("2027-12-31T23:30:00Z") + span, bucketUnitFor(span)).length,
      ).toBeLessThanOrEqual(MAX_BUCKETS);
  });
});
