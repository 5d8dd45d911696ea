import type { Logger } from "../../lib/logger.js";
import type { ReanalysisRunner } from "./runner.js";

/**
 * Runs jobs in the background of a server process, one at a time in the order given. Stopping aborts
 * the running job between pages (it stays `running` in the database and is resumed at the next
 * start) and waits for its page to commit.
 */
export class BackgroundJobs {
  #queue: string[] = [];
  #current: Promise<void> | null = null;
  #abort = new AbortController();

  constructor(
    private readonly runner: ReanalysisRunner,
    private readonly logger: Logger,
  ) {}

  enqueue(id: string) {
    if (this.#abort.signal.aborted) return;
    this.#queue.push(id);
    if (!this.#current) this.#current = this.#drain();
  }

  async #drain() {
    while (this.#queue.length && !this.#abort.signal.aborted) {
      const id = this.#queue.shift()!;
      try {
        const job = await this.runner.run(id, this.#abort.signal);
        this.logger.info({ job: id, status: job.status, processed: job.progress.processed }, "re-analysis job stopped");
      } catch (e) {
        this.logger.error({ err: (e as Error).message, job: id }, "re-analysis job could not run");
      }
    }
    this.#current = null;
  }

  /** Resolves when nothing is queued or running (tests). */
  async idle() {
    while (this.#current) await this.#current;
  }

  async stop() {
    this.#abort.abort();
    await this.#current;
  }
}
