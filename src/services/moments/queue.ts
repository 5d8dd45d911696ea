import type { Logger } from "../../lib/logger.js";
import type { MomentService, StoredItem } from "./moment-service.js";

/**
 * Scores moments after ingest commits, off the request path: stored records queue here and are
 * evaluated together (several records of one customer cost one evaluation).
 */
export class MomentQueue {
  #pending: StoredItem[] = [];
  #running: Promise<void> | null = null;

  constructor(
    private readonly moments: MomentService,
    private readonly logger: Logger,
    private readonly afterEvaluate: () => void = () => {},
  ) {}

  enqueue(items: StoredItem[]) {
    if (items.length === 0) return;
    this.#pending.push(...items);
    this.#running ??= this.#drain();
  }

  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain() {
    try {
      while (this.#pending.length) {
        const batch = this.#pending.splice(0, 5000);
        try {
          await this.moments.evaluate(batch);
          this.afterEvaluate();
        } catch (e) {
          this.logger.error({ err: (e as Error).message, customers: new Set(batch.map((b) => b.customerId)).size }, "moment evaluation failed");
        }
      }
    } finally {
      this.#running = null;
    }
  }
}
