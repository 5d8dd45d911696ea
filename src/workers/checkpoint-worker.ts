import { statSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { createClient } from "@libsql/client";

/** What one checkpoint pass reports to the main thread (frames as `PRAGMA wal_checkpoint` counts them). */
export interface CheckpointReport {
  /** Frames in the WAL when the pass ran, and how many of them are now in the database file. */
  walFrames: number;
  checkpointed: number;
  /** 1 when a reader or the writer kept the pass from copying everything (it tries again next time). */
  busy: number;
  ms: number;
  error?: string;
}

export interface CheckpointWorkerData {
  url: string;
  walPath: string;
  intervalMs: number;
}

const { url, walPath, intervalMs } = workerData as CheckpointWorkerData;
// Its own connection: PASSIVE checkpoints take neither the write lock nor a reader's snapshot, so the
// writer keeps appending to the WAL and readers keep reading while this thread copies it back.
const client = createClient({ url });
/** The WAL file as the last pass saw it: a pass runs only when a write has touched it since. */
let seen: { mtimeMs: number; size: number } | null = null;

function walChanged(): boolean {
  try {
    const { mtimeMs, size } = statSync(walPath);
    if (seen && seen.mtimeMs === mtimeMs && seen.size === size) return false;
    seen = { mtimeMs, size };
    return size > 0;
  } catch {
    return false; // no WAL yet
  }
}

async function pass(): Promise<void> {
  if (!walChanged()) return;
  const started = performance.now();
  let report: CheckpointReport;
  try {
    const row = (await client.execute("PRAGMA wal_checkpoint(PASSIVE)")).rows[0];
    report = {
      busy: Number(row[0]),
      walFrames: Number(row[1]),
      checkpointed: Number(row[2]),
      ms: performance.now() - started,
    };
  } catch (e) {
    report = { busy: 1, walFrames: -1, checkpointed: -1, ms: performance.now() - started, error: (e as Error).message };
  }
  parentPort!.postMessage(report);
}

let running = false;
const timer = setInterval(() => {
  if (running) return;
  running = true;
  void pass().finally(() => (running = false));
}, intervalMs);

parentPort!.on("message", async (m: { type: "stop" }) => {
  if (m.type !== "stop") return;
  clearInterval(timer);
  while (running) await new Promise((r) => setTimeout(r, 5));
  seen = null;
  await pass();
  client.close();
  parentPort!.postMessage({ type: "stopped" });
});
