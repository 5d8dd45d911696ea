import type { Db } from "../db/client.js";
import { overloaded } from "../lib/domain-error.js";
import { dashboardData, type Dashboard, type DashboardQuery } from "../services/dashboard.js";
import type { DashboardTask, DashboardTaskResult } from "./dashboard-worker.js";
import { workerEntry, WorkerPool } from "./pool.js";

/** Computes the console dashboard's aggregates, on the calling thread or on a thread of their own. */
export interface DashboardRunner {
  run(q: DashboardQuery): Promise<Dashboard>;
  close(): Promise<void>;
}

/** On the calling thread: a remote database (its server does the work), an in-memory one, most tests. */
export const inProcessDashboards = (db: Db): DashboardRunner => ({
  run: (q) => dashboardData(db, q),
  close: async () => {},
});

/**
 * How many dashboards may wait for the thread at once; past it, 503 with Retry-After. Each is seconds
 * of CPU over a wide window, so a queue longer than this only makes every one of them late.
 */
export const MAX_WAITING_DASHBOARDS = 8;

/**
 * On one worker thread with its own connection to the local database file. The local client's calls
 * are synchronous, so on the event loop a two-year dashboard over 20,000 interactions holds every other
 * request for over a second; on its thread it holds none. The thread starts with the first dashboard.
 */
export class WorkerDashboards implements DashboardRunner {
  #pool: WorkerPool<DashboardTask, DashboardTaskResult> | null = null;
  #seq = 0;

  constructor(private readonly path: string) {}

  async run(q: DashboardQuery): Promise<Dashboard> {
    this.#pool ??= new WorkerPool(
      workerEntry("./dashboard-worker", import.meta.url),
      1,
      { path: this.path },
      { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 },
    );
    if (this.#pool.inFlight >= MAX_WAITING_DASHBOARDS)
      throw overloaded("Too many dashboards are being computed; retry in a moment.");
    const r = await this.#pool.run({
      seq: this.#seq++,
      from: q.from.getTime(),
      to: q.to.getTime(),
      channels: q.channels,
    });
    if (r.error !== undefined) throw new Error(`dashboard worker: ${r.error}`);
    return r.data;
  }

  async close() {
    await this.#pool?.close();
  }
}
