import type { FeatureBuffer } from "./feature-buffer.js";

// The hashed weights of every head, laid out for inference. Under half of the buckets hold a weight
// for any head, so only those are stored: a bitmap says which, and a running count per 32 buckets
// gives a bucket's row. A row holds every head's weight (one lookup reads them all), padded to a
// multiple of four heads so the sums run four heads at a time in registers.

/** Heads summed per pass over a text's features. */
const LANES = 4;

export class WeightTable {
  /** Weights per row: the head count rounded up to LANES. */
  readonly stride: number;
  readonly weights: Int8Array;
  private readonly present: Uint32Array;
  private readonly rank: Int32Array;

  /** `byHead[h]` lists head h's (bucket, quantised weight) pairs. */
  constructor(
    buckets: number,
    readonly heads: number,
    byHead: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  ) {
    this.stride = Math.ceil(heads / LANES) * LANES;
    this.present = new Uint32Array(Math.ceil(buckets / 32));
    for (const own of byHead) for (const [b] of own) this.present[b >>> 5] |= 1 << (b & 31);
    this.rank = new Int32Array(this.present.length);
    let rows = 0;
    for (let w = 0; w < this.present.length; w++) {
      this.rank[w] = rows;
      rows += popcount(this.present[w]);
    }
    this.weights = new Int8Array(rows * this.stride);
    byHead.forEach((own, h) => {
      for (const [b, value] of own) this.weights[this.offset(b) + h] = value;
    });
  }

  /** Where `bucket`'s row starts in `weights`, or -1 when no head has a weight there. */
  offset(bucket: number): number {
    const word = this.present[bucket >>> 5];
    const bit = 1 << (bucket & 31);
    return (word & bit) === 0 ? -1 : (this.rank[bucket >>> 5] + popcount(word & (bit - 1))) * this.stride;
  }
}

/** The features of one text that have a weight: their rows, values and owners, in feature order. */
export class Hits {
  offsets = new Int32Array(1024);
  values = new Float64Array(1024);
  owners = new Int32Array(1024);
  length = 0;
  /** The buffer and generation these hits were gathered from. */
  source: FeatureBuffer | undefined;
  generation = -1;
  private gathered = -1;

  gather(table: WeightTable, features: FeatureBuffer): void {
    if (this.source === features && this.generation === features.generation && this.gathered === features.length)
      return;
    if (this.offsets.length < features.length) {
      const n = features.buckets.length;
      this.offsets = new Int32Array(n);
      this.values = new Float64Array(n);
      this.owners = new Int32Array(n);
    }
    const { buckets, values, owners } = features;
    let n = 0;
    for (let i = 0; i < features.length; i++) {
      const at = table.offset(buckets[i]);
      if (at < 0) continue;
      this.offsets[n] = at;
      this.values[n] = values[i];
      this.owners[n] = owners[i];
      n++;
    }
    this.length = n;
    this.source = features;
    this.generation = features.generation;
    this.gathered = features.length;
  }
}

/**
 * `out[h]` = Σ weight × value over the hits, for every head, summed in feature order (so the result
 * is the same as a plain loop's, bit for bit).
 */
export function sumHeads(table: WeightTable, hits: Hits, out: Float64Array): void {
  const w = table.weights;
  const { offsets, values, length } = hits;
  for (let g = 0; g < table.heads; g += LANES) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let i = 0; i < length; i++) {
      const at = offsets[i] + g;
      const v = values[i];
      a0 += w[at] * v;
      a1 += w[at + 1] * v;
      a2 += w[at + 2] * v;
      a3 += w[at + 3] * v;
    }
    out[g] = a0;
    if (g + 1 < table.heads) out[g + 1] = a1;
    if (g + 2 < table.heads) out[g + 2] = a2;
    if (g + 3 < table.heads) out[g + 3] = a3;
  }
}

/** Set bits of a 32-bit word (the SWAR count). */
function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}
