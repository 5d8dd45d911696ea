import { describe, expect, it } from "vitest";
import { FeatureBuffer } from "../../src/analysis/learned/feature-buffer.js";
import { Hits, sumHeads, WeightTable } from "../../src/analysis/learned/weights.js";

// The compact weight table against the plain dense layout it replaces: the same sums, bit for bit,
// for head counts that fill the four-head lanes exactly and ones that leave a lane part empty.
const BUCKETS = 1024;

/** A seeded generator (mulberry32), so a failure repeats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each([1, 3, 4, 10])("a weight table of %i heads", (heads) => {
  const next = random(heads);
  const dense = new Int8Array(BUCKETS * heads);
  const byHead: Array<Array<[number, number]>> = [];
  for (let h = 0; h < heads; h++) {
    const own: Array<[number, number]> = [];
    for (let b = 0; b < BUCKETS; b++) {
      // Sparse, as trained heads are: most buckets hold nothing, some hold a weight for one head only.
      if (next() > 0.2) continue;
      const value = Math.round(next() * 254) - 127 || 1;
      own.push([b, value]);
      dense[b * heads + h] = value;
    }
    byHead.push(own);
  }
  const table = new WeightTable(BUCKETS, heads, byHead);
  const features = new FeatureBuffer(8);
  for (let i = 0; i < 300; i++) features.push(Math.floor(next() * BUCKETS), i % 7, Math.fround(next()));

  it("finds every weight and only those", () => {
    for (let b = 0; b < BUCKETS; b++)
      for (let h = 0; h < heads; h++) {
        const at = table.offset(b);
        expect(at < 0 ? 0 : table.weights[at + h], `bucket ${b}, head ${h}`).toBe(dense[b * heads + h]);
      }
  });

  it("sums every head exactly as a loop over the dense layout does", () => {
    const expected = new Float64Array(heads);
    for (let i = 0; i < features.length; i++)
      for (let h = 0; h < heads; h++) expected[h] += dense[features.buckets[i] * heads + h] * features.values[i];
    const hits = new Hits();
    hits.gather(table, features);
    const out = new Float64Array(heads);
    sumHeads(table, hits, out);
    expect(Array.from(out)).toEqual(Array.from(expected));
  });

  it("gathers again once the buffer holds another text", () => {
    const own = new FeatureBuffer(8);
    for (let i = 0; i < features.length; i++) own.push(features.buckets[i], 0, features.values[i]);
    const hits = new Hits();
    hits.gather(table, own);
    const before = hits.length;
    own.reset();
    hits.gather(table, own);
    expect(before).toBeGreaterThan(0);
    expect(hits.length).toBe(0);
  });
});
