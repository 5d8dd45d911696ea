import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortSmall } from "../../src/analysis/sort-small.js";

describe("sortSmall", () => {
  it("orders exactly as the built-in (stable) sort does, ties kept in input order", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), tag: fc.nat() }), { maxLength: 40 }), (items) => {
        const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
        expect(sortSmall([...items], byKey)).toEqual([...items].sort(byKey));
      }),
      { numRuns: 500 },
    );
  });

  it("sorts in place and answers the same array", () => {
    const xs = [3, 1, 2];
    expect(sortSmall(xs, (a, b) => b - a)).toBe(xs);
    expect(xs).toEqual([3, 2, 1]);
  });
});
