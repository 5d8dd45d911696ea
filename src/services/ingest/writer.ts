import { markWrite } from "../../db/read-routing.js";
import type { Db } from "../../db/client.js";
import type { PreparedRecord, StoredResult } from "./records.js";
import { storeRecords, type MomentScorer } from "./store.js";
import type { IdentityRules } from "../identity/rules.js";
import type { StoredItem } from "../moments/scoring.js";

interface Job {
  records: PreparedRecord[];
  resolve: (r: StoredResult[]) => void;
  reject: (e: unknown) => void;
}

export interface IngestWriterOptions {
  clock?: () => Date;
  /** Scores created records for moments inside each write transaction. */
  scoreMoments?: MomentScorer;
  /** Called after a commit that queued webhook deliveries. */
  onDeliveriesQueued?: () => void;
  /** Called after a commit whose moment scoring failed: its records are in the backlog, to be scored again. */
  onScoringDeferred?: (items: StoredItem[], error: unknown) => void;
}

/** Upper bound of records written in one transaction when several requests are waiting. */
const MAX_GROUP_RECORDS = 1000;

/**
 * The one path by which records reach the database in this process. Requests queue here; whatever
 * has queued while a transaction was running is written together in the next one (group commit), so
 * concurrent single-record posts share a commit instead of contending for the write lock.
 */
export class IngestWriter {
  #queue: Job[] = [];
  #running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly rules: IdentityRules,
    private readonly opts: IngestWriterOptions = {},
  ) {}

  write(records: PreparedRecord[]): Promise<StoredResult[]> {
    if (records.length === 0) return Promise.resolve([]);
    // The group commit runs in whichever request's context started it: mark this one here.
    markWrite();
    return new Promise((resolve, reject) => {
      this.#queue.push({ records, resolve, reject });
      this.#running ??= this.#drain();
    });
  }

  /** Records waiting for the next commit. */
  get queued() {
    return this.#queue.reduce((n, j) => n + j.records.length, 0);
  }

  /** Resolves once everything queued so far is written (used at shutdown). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const group: Job[] = [];
        let size = 0;
        while (
          this.#queue.length > 0 &&
          (group.length === 0 || size + this.#queue[0].records.length <= MAX_GROUP_RECORDS)
        ) {
          const job = this.#queue.shift()!;
          group.push(job);
          size += job.records.length;
        }
        await this.#writeGroup(group);
      }
    } finally {
      this.#running = null;
    }
  }

  async #writeGroup(group: Job[]): Promise<void> {
    const all = group.flatMap((j) => j.records);
    // Busy databases are retried inside the write lock; what arrives here is final for this group.
    try {
      const { results, deliveries, deferred } = await storeRecords(
        this.db,
        all,
        (this.opts.clock ?? (() => new Date()))(),
        this.rules,
        this.opts.scoreMoments,
      );
      if (deliveries > 0) this.opts.onDeliveriesQueued?.();
      if (deferred) this.opts.onScoringDeferred?.(deferred.items, deferred.error);
      let at = 0;
      for (const job of group) {
        job.resolve(results.slice(at, at + job.records.length));
        at += job.records.length;
      }
    } catch (e) {
      for (const job of group) job.reject(e);
    }
  }
}
