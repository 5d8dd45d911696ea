import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstEndingAfter, sortSmall } from "../../src/analysis/ordered.js";

describe("sortSmall", () => {
  it("orders exactly as the built-in (stable) sort does, ties kept in input order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ key: fc.integer({ min: 0, max: 5 }), tag: fc.nat() }), { maxLength: 40 }),
        (items) => {
          const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
          expect(sortSmall([...items], byKey)).toEqual([...items].sort(byKey));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("sorts in place and answers the same array", () => {
    const xs = [3, 1, 2];
    expect(sortSmall(xs, (a, b) => b - a)).toBe(xs);
    expect(xs).toEqual([3, 2, 1]);
  });
});

describe("firstEndingAfter", () => {
  it("finds the first span ending past an offset, as a scan would", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(5), { maxLength: 30 }), fc.nat(120), (gaps, offset) => {
        // Ordered, disjoint spans built from gaps and lengths.
        const spans: Array<{ start: number; end: number }> = [];
        let at = 0;
        for (const g of gaps) spans.push({ start: at + g, end: (at = at + g + 1 + (g % 3)) });
        const scanned = spans.findIndex((s) => s.end > offset);
        expect(firstEndingAfter(spans, "end", offset)).toBe(scanned < 0 ? spans.length : scanned);
      }),
      { numRuns: 500 },
    );
  });
});
