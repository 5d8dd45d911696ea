import type { Token } from "../text.js";

/**
 * The features of one text, written into reusable buffers: a bucket per feature, the term it came
 * from (the word's index, or `words + i` for the bigram starting at word i) and its value.
 */
export class FeatureBuffer {
  buckets: Int32Array;
  owners: Int32Array;
  values: Float32Array;
  length = 0;
  /** Counts resets, so what was computed from one text's features is not taken for another's. */
  generation = 0;
  /** The tokens the terms refer to (words only; punctuation and emoji included, as they carry signal). */
  terms: Token[] = [];

  constructor(capacity = 4096) {
    this.buckets = new Int32Array(capacity);
    this.owners = new Int32Array(capacity);
    this.values = new Float32Array(capacity);
  }

  /** How many terms the features name. */
  get termCount(): number {
    return this.terms.length;
  }

  reset(): void {
    this.generation++;
    this.length = 0;
    this.terms.length = 0;
  }

  push(bucket: number, owner: number, value: number): void {
    if (this.length === this.buckets.length) this.grow();
    this.buckets[this.length] = bucket;
    this.owners[this.length] = owner;
    this.values[this.length] = value;
    this.length++;
  }

  /** Makes room for `more` features past the current length. */
  reserve(more: number): void {
    while (this.length + more > this.buckets.length) this.grow();
  }

  private grow(): void {
    const n = this.buckets.length * 2;
    const b = new Int32Array(n),
      o = new Int32Array(n),
      v = new Float32Array(n);
    b.set(this.buckets);
    o.set(this.owners);
    v.set(this.values);
    this.buckets = b;
    this.owners = o;
    this.values = v;
  }

  /** The term a feature's owner names: a word as written, or a bigram's two words. */
  termOf(owner: number): string {
    const n = this.terms.length;
    return owner < n ? this.terms[owner].text : `${this.terms[owner - n].text} ${this.terms[owner - n + 1].text}`;
  }
}
