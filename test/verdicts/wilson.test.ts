import { describe, expect, it } from "vitest";
import { wilson } from "../../src/lib/wilson.js";

// Published 95 % Wilson intervals (e.g. Newcombe 1998, table I: 0/10 → 0–0.2775, 10/10 → 0.7225–1).
describe("wilson", () => {
  it.each([
    [0, 10, 0, 0, 0.278],
    [10, 10, 1, 0.722, 1],
    [50, 100, 0.5, 0.404, 0.596],
    [5, 6, 0.833, 0.436, 0.97],
  ])("%i of %i is %f in [%f, %f]", (hits, n, value, low, high) => {
    expect(wilson(hits, n)).toEqual({ n, hits, value, low, high });
  });

  it("says nothing about nothing", () => {
    expect(wilson(0, 0)).toEqual({ n: 0, hits: 0, value: null, low: null, high: null });
  });

  it("narrows as the count grows, around the same proportion", () => {
    const small = wilson(3, 4);
    const large = wilson(300, 400);
    expect(large.high! - large.low!).toBeLessThan((small.high! - small.low!) / 5);
    expect(large.low).toBeLessThan(0.75);
    expect(large.high).toBeGreaterThan(0.75);
  });
});
