import { describe, expect, it } from "vitest";
import { FIRST_SLICE_ROWS, nextSliceRows } from "../../src/services/reanalysis/slice-size.js";

describe("a re-analysis job's write slice size", () => {
  it("starts small before any slice has been timed", () => {
    expect(nextSliceRows(null, null, 3)).toBe(FIRST_SLICE_ROWS);
  });

  it("sizes from the smoothed time per row when slices come in under the target", () => {
    // 0.1 ms a row fits 30 rows in 3 ms; the last slice had 20, so 30 is within the two-fold cap.
    expect(nextSliceRows({ rows: 20, ms: 2 }, 0.1, 3)).toBe(30);
  });

  it("grows at most two-fold from the last slice, however cheap its rows were", () => {
    expect(nextSliceRows({ rows: 4, ms: 0.04 }, 0.01, 3)).toBe(8);
    expect(nextSliceRows({ rows: 8, ms: 0.08 }, 0.01, 3)).toBe(16);
  });

  it("shrinks at once after a slice that ran over, from that slice's own rate", () => {
    // The smoothed rate (0.05 ms a row) would allow 60 rows; the last 40 rows took 12 ms, 0.3 ms each.
    expect(nextSliceRows({ rows: 40, ms: 12 }, 0.05, 3)).toBe(10);
  });

  it("never asks for fewer than one row", () => {
    expect(nextSliceRows({ rows: 1, ms: 50 }, 50, 3)).toBe(1);
  });
});
