/**
 * Per-key token buckets: each key may make `ratePerSecond` requests a second on average and up to
 * `burst` at once. In memory, per process; with EARSHOT_WORKERS the rate is divided among the
 * processes (connections are spread evenly), so the whole server honours the configured rate.
 */
export class RateLimiter {
  #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get enabled() {
    return this.ratePerSecond > 0;
  }

  /** Takes one token for `key`; when none is left, says how many seconds until one is. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (!this.enabled) return { ok: true };
    const t = this.now();
    let b = this.#buckets.get(key);
    if (!b) {
      // Idle keys are full buckets: forgetting them when the map grows changes nothing they can do.
      if (this.#buckets.size >= 100_000) this.#buckets.clear();
      b = { tokens: this.burst, at: t };
      this.#buckets.set(key, b);
    }
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.ratePerSecond);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.ratePerSecond)) };
  }
}
