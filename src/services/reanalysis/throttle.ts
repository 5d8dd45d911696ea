// How long a re-analysis job pauses before its next piece of work: it backs off while live ingest
// waits or live latency rises, and never below its minimum share of the time, so a steady stream of
// live posts slows the job but cannot starve it. Pure: the clock and the live figures are handed in.

export interface ThrottleOptions {
  /** The least share of wall time the job works (0..1): pauses are cut short to keep it. */
  minShare: number;
  /** The pause after a piece of work when live ingest is quiet and fast. */
  basePauseMs: number;
  /** The longest single pause. */
  maxPauseMs: number;
  /** Live p99 above this multiple of the quiet p99 makes the job back off (under the ×2 it must not exceed). */
  latencyFactor: number;
}

export const DEFAULT_THROTTLE: ThrottleOptions = {
  minShare: 0.2,
  basePauseMs: 20,
  maxPauseMs: 1_000,
  latencyFactor: 1.5,
};

/** What the throttle reads of live ingest. */
export interface LiveSignals {
  /** Records waiting for the writer or analyses waiting on the workers. */
  busy(): boolean;
  /** The recent live write p99 in ms (null: too few live requests to say). */
  p99(): number | null;
}

export class Throttle {
  #pause: number;
  #workMs = 0;
  #waitedMs = 0;
  #quietP99: number | null = null;
  #workStart: number | null = null;

  constructor(
    private readonly live: LiveSignals,
    private readonly opts: ThrottleOptions = DEFAULT_THROTTLE,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#pause = opts.basePauseMs;
  }

  /** Marks the start of a piece of the job's work (a chunk of analysis, a page's write). */
  startWork() {
    this.#workStart = this.now();
  }

  /** Marks its end: the time counts towards the job's share. */
  endWork() {
    if (this.#workStart !== null) this.#workMs += Math.max(0, this.now() - this.#workStart);
    this.#workStart = null;
  }

  /** The share of the time so far the job worked (1 before it waited at all). */
  get share(): number {
    const total = this.#workMs + this.#waitedMs;
    return total ? this.#workMs / total : 1;
  }

  /** The pause the backoff has reached (before the minimum share cuts it). */
  get backoffMs(): number {
    return this.#pause;
  }

  /**
   * The pause before the next piece of work, counted as waited. The backoff doubles while live p99
   * is above `latencyFactor` × the quietest p99 seen (the reference: the live p99 when the job works
   * least) or live work is waiting, and shrinks by a third back towards the base otherwise. The
   * pause granted is cut so the job's share of the time stays at least `minShare`.
   */
  nextPauseMs(): number {
    const { minShare, basePauseMs, maxPauseMs, latencyFactor } = this.opts;
    const p99 = this.live.p99();
    if (p99 !== null) this.#quietP99 = this.#quietP99 === null ? p99 : Math.min(this.#quietP99, p99);
    const slow = p99 !== null && this.#quietP99 !== null && p99 > latencyFactor * this.#quietP99;
    if (slow || this.live.busy()) this.#pause = Math.min(maxPauseMs, Math.max(basePauseMs, this.#pause * 2));
    else this.#pause = Math.max(basePauseMs, this.#pause * (2 / 3));
    // Waiting w more keeps work / (work + waited + w) ≥ minShare while w ≤ work (1 − s) / s − waited.
    const budget = (this.#workMs * (1 - minShare)) / minShare - this.#waitedMs;
    const granted = Math.max(0, Math.min(this.#pause, budget));
    this.#waitedMs += granted;
    return granted;
  }
}
