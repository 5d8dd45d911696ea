/**
 * The latency of the latest live write requests (single posts and batches of records), kept in a ring
 * so a background job can read the live p99 without reading the metrics registry. O(1) per request;
 * the p99 sorts the ring (a few hundred numbers) when asked, once per piece of background work.
 */
export class LiveLatency {
  readonly #ring: Float64Array;
  #n = 0;
  #next = 0;

  constructor(size = 256) {
    this.#ring = new Float64Array(size);
  }

  observe(ms: number) {
    this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#n = Math.min(this.#ring.length, this.#n + 1);
  }

  /** The p99 of the latest requests in ms; null below `min` requests seen. */
  p99(min = 50): number | null {
    if (this.#n < min) return null;
    const sorted = Array.from(this.#ring.subarray(0, this.#n)).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))];
  }
}
