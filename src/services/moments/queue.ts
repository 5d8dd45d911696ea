import type { Logger } from "../../lib/logger.js";
import type { MomentScorer, StoredItem } from "./scoring.js";

/**
 * Scores the records of the scoring backlog, each batch in a transaction of its own: those whose
 * scoring inside their ingest transaction failed, and at start-up those a previous run left there.
 * Records queue here and are evaluated together (several records of one customer cost one evaluation).
 */
const MAX_BATCH = 500;
const GATHER_MS = 50;

export class MomentQueue {
  #pending: StoredItem[] = [];
  #running: Promise<void> | null = null;

  constructor(
    private readonly moments: MomentScorer,
    private readonly logger: Logger,
    private readonly afterEvaluate: () => void = () => {},
  ) {}

  enqueue(items: StoredItem[]) {
    if (items.length === 0) return;
    this.#pending.push(...items);
    // Gather for a moment first: one scoring transaction for whatever arrives meanwhile, instead of one
    // per call competing with ingest for the write lock.
    this.#running ??= new Promise((r) => setTimeout(r, GATHER_MS)).then(() => this.#drain());
  }

  /** Stored records waiting to be scored. */
  get queued() {
    return this.#pending.length;
  }

  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain() {
    try {
      while (this.#pending.length) {
        // Bounded batches: each is one write transaction (its changes written a statement per kind),
        // and ingest waits for the lock meanwhile.
        const batch = this.#pending.splice(0, MAX_BATCH);
        try {
          const started = performance.now();
          await this.moments.evaluate(batch);
          this.logger.debug(
            { records: batch.length, backlog: this.#pending.length, ms: Math.round(performance.now() - started) },
            "moments evaluated",
          );
          this.afterEvaluate();
        } catch (e) {
          this.logger.error(
            { err: (e as Error).message, customers: new Set(batch.map((b) => b.customerId)).size },
            "moment evaluation failed",
          );
        }
      }
    } finally {
      this.#running = null;
    }
  }
}
