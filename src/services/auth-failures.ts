import { LRUCache } from "lru-cache";

export interface AuthFailureOptions {
  /** Failed attempts allowed per client address, and per key prefix, within `windowMs`. */
  limit: number;
  windowMs: number;
  /** Addresses and prefixes remembered at once; the oldest are forgotten first. */
  maxEntries?: number;
  now?: () => number;
}

interface Tally {
  failures: number;
  /** When the window opened by the first failure closes. */
  resetAt: number;
}

/** How long a key that authenticated is exempt from the throttle (its holder is not the one guessing). */
const TRUSTED_MS = 3_600_000;

/**
 * Failed authentication attempts (API keys, console sign-in), counted per client address and per key
 * prefix in fixed windows. Once either has `limit` failures in its window, attempts from that address
 * or with that prefix are refused with 429 without being checked, so guesses cannot go faster than
 * `limit` per window per address, nor per prefix when many addresses aim at one key.
 *
 * Successful requests are left alone: only failures are counted, and a key that authenticated within
 * the last hour is never throttled, so a client sharing an address (a NAT, a proxy) or a prefix with
 * an attacker keeps working. Memory is bounded: each table keeps at most `maxEntries` entries (LRU),
 * and entries expire with their window.
 */
export class AuthFailures {
  #byAddress: LRUCache<string, Tally>;
  #byPrefix: LRUCache<string, Tally>;
  #trusted: LRUCache<string, true>;
  #now: () => number;

  constructor(private readonly opts: AuthFailureOptions) {
    const max = opts.maxEntries ?? 10_000;
    this.#now = opts.now ?? Date.now;
    const perf = { now: this.#now };
    this.#byAddress = new LRUCache({ max, ttl: opts.windowMs, ttlAutopurge: false, perf });
    this.#byPrefix = new LRUCache({ max, ttl: opts.windowMs, ttlAutopurge: false, perf });
    this.#trusted = new LRUCache({ max, ttl: TRUSTED_MS, perf });
  }

  get enabled() {
    return this.opts.limit > 0;
  }

  /**
   * Seconds until an attempt from `address` with a key of `prefix` may be checked again, or 0 when it
   * may be checked now. `keyHash` identifies the key presented, exempt once it has authenticated.
   */
  retryAfter(address: string, prefix: string, keyHash: string): number {
    if (!this.enabled || this.#trusted.has(keyHash)) return 0;
    const now = this.#now();
    let until = 0;
    for (const tally of [this.#byAddress.get(address), this.#byPrefix.get(prefix)]) {
      if (tally && tally.failures >= this.opts.limit && tally.resetAt > now) until = Math.max(until, tally.resetAt);
    }
    return until ? Math.max(1, Math.ceil((until - now) / 1000)) : 0;
  }

  failed(address: string, prefix: string) {
    if (!this.enabled) return;
    const now = this.#now();
    for (const [table, key] of [
      [this.#byAddress, address],
      [this.#byPrefix, prefix],
    ] as const) {
      const tally = table.get(key);
      if (tally && tally.resetAt > now) tally.failures++;
      // A new window lasts `windowMs` from its first failure; the entry expires with it.
      else table.set(key, { failures: 1, resetAt: now + this.opts.windowMs });
    }
  }

  succeeded(keyHash: string) {
    if (this.enabled) this.#trusted.set(keyHash, true);
  }

  /** Entries held, for tests and /metrics. */
  get size() {
    return { addresses: this.#byAddress.size, prefixes: this.#byPrefix.size, trusted: this.#trusted.size };
  }
}
