import type { Logger } from "../../lib/logger.js";
import { jobView, type JobState, type JobView } from "./job.js";
import type { ReanalysisRunner } from "./runner.js";

/** Dry runs kept in memory for GET /v1/jobs/{id}: the latest ones, finished or not. */
const KEPT_DRY_RUNS = 20;

/**
 * Runs jobs in the background of a server process, one at a time in the order given. Stopping aborts
 * the running job between pages (a stored job stays `running` in the database and is resumed at the
 * next start) and waits for its page to commit. Dry runs live here, in memory, and nowhere else.
 */
export class BackgroundJobs {
  #queue: Array<string | JobState> = [];
  #current: Promise<void> | null = null;
  #abort = new AbortController();
  #dryRuns = new Map<string, JobState>();

  constructor(
    private readonly runner: ReanalysisRunner,
    private readonly logger: Logger,
  ) {}

  /** Queues a stored job by its id, or a dry run by its state (newDryRun). */
  enqueue(job: string | JobState) {
    if (this.#abort.signal.aborted) return;
    if (typeof job !== "string") {
      this.#dryRuns.set(job.id, job);
      for (const id of this.#dryRuns.keys()) {
        if (this.#dryRuns.size <= KEPT_DRY_RUNS) break;
        this.#dryRuns.delete(id);
      }
    }
    this.#queue.push(job);
    if (!this.#current) this.#current = this.#drain();
  }

  /** A dry run this process holds; undefined for any other id. */
  dryRun(id: string): JobView | undefined {
    const state = this.#dryRuns.get(id);
    return state ? jobView(state) : undefined;
  }

  async #drain() {
    while (this.#queue.length && !this.#abort.signal.aborted) {
      const next = this.#queue.shift()!;
      const id = typeof next === "string" ? next : next.id;
      try {
        const job =
          typeof next === "string"
            ? await this.runner.run(next, this.#abort.signal)
            : await this.runner.dryRun(next, this.#abort.signal);
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
