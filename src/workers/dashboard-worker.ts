import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { drizzle } from "drizzle-orm/libsql";
import { LocalFileClient } from "../db/local-client.js";
import { dashboardData, type Dashboard } from "../services/dashboard.js";

export interface DashboardTask {
  seq: number;
  from: number;
  to: number;
  channels?: string[];
}

export type DashboardTaskResult = { seq: number; data: Dashboard; error?: undefined } | { seq: number; error: string };

/**
 * Lowest CPU priority for this thread only: on Linux a nice value belongs to a thread, and
 * /proc/thread-self names this one. On two cores the dashboard's aggregates (seconds of CPU over a
 * wide window) would otherwise take a core from the request path and the analysis workers; niced,
 * they run on what those leave idle. Elsewhere the thread keeps its priority.
 */
function lowerPriority() {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    /* not Linux, or not permitted: the aggregates still leave the event loop free */
  }
}

const { path } = workerData as { path: string };
lowerPriority();
// A connection of its own: a WAL reader takes no lock the writer or the server's reader waits for.
const db = drizzle(new LocalFileClient(path, { timeout: 5000 }));

parentPort!.on("message", async (task: DashboardTask) => {
  let result: DashboardTaskResult;
  try {
    result = {
      seq: task.seq,
      data: await dashboardData(db, { from: new Date(task.from), to: new Date(task.to), channels: task.channels }),
    };
  } catch (e) {
    result = { seq: task.seq, error: (e as Error)?.message ?? String(e) };
  }
  parentPort!.postMessage(result);
});
