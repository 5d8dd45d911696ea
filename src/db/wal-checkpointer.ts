import { Worker } from "node:worker_threads";
import type { Logger } from "../lib/logger.js";
import type { Metrics } from "../lib/metrics.js";
import { workerEntry } from "../workers/pool.js";
import type { CheckpointReport, CheckpointWorkerData } from "../workers/checkpoint-worker.js";
import type { WriteLock } from "./client.js";

/** SQLite's own automatic checkpoint threshold, in WAL pages (its default). */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;
/**
 * The writer's own checkpoint threshold while the background thread keeps the WAL short: a safety net
 * (64 MB of 4 KB pages) that only a stalled checkpointer lets the WAL reach.
 */
const SAFETY_AUTOCHECKPOINT = 16_384;

export interface WalCheckpointerOptions {
  url: string;
  walPath: string;
  writeLock: WriteLock;
  logger: Logger;
  metrics?: Metrics;
  intervalMs?: number;
}

/**
 * Checkpoints the WAL on a thread of its own instead of inside the writer's COMMIT.
 *
 * SQLite checkpoints automatically in the COMMIT that takes the WAL past 1,000 pages, on the writing
 * connection — here the event loop. Under batch ingest that was every second or third commit: the
 * WAL's pages copied into the database file and two fsyncs, tens of milliseconds during which no
 * request was served (in a storage bench, ~30 µs per stored interaction on the writer's thread). A
 * worker thread with its own connection runs PASSIVE checkpoints every `intervalMs` instead; they
 * never wait for or block the writer or readers. The writer keeps a large threshold of its own as a
 * net, and goes back to SQLite's default if the thread dies.
 */
export class WalCheckpointer {
  #worker: Worker;
  #stopped = false;

  constructor(private readonly opts: WalCheckpointerOptions) {
    const data: CheckpointWorkerData & { entry: string } = {
      entry: workerEntry("../workers/checkpoint-worker", import.meta.url).href,
      url: opts.url,
      walPath: opts.walPath,
      intervalMs: opts.intervalMs ?? 100,
    };
    opts.writeLock.setPragma("wal_autocheckpoint", SAFETY_AUTOCHECKPOINT);
    this.#worker = new Worker(new URL("../workers/boot.mjs", import.meta.url), {
      workerData: data,
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
    });
    this.#worker.on("message", (m: CheckpointReport | { type: "stopped" }) => {
      if ("type" in m) return;
      this.#record(m);
    });
    this.#worker.on("error", (e) => this.#failed(e));
    this.#worker.on("exit", (code) => {
      if (!this.#stopped) this.#failed(new Error(`exited with code ${code}`));
    });
  }

  #record(r: CheckpointReport) {
    const m = this.opts.metrics;
    if (r.error) {
      m?.walCheckpoints.inc({ outcome: "failed" });
      this.opts.logger.warn({ err: r.error }, "background checkpoint failed");
      return;
    }
    m?.walCheckpoints.inc({ outcome: r.busy || r.checkpointed < r.walFrames ? "partial" : "complete" });
    m?.walFrames.set(r.walFrames);
    if (r.ms > 1000)
      this.opts.logger.info(
        { frames: r.walFrames, checkpointed: r.checkpointed, ms: Math.round(r.ms) },
        "slow background checkpoint",
      );
  }

  #failed(e: unknown) {
    if (this.#stopped) return;
    this.#stopped = true;
    // Without the thread the writer checkpoints as SQLite does by default, so the WAL stays bounded.
    this.opts.writeLock.setPragma("wal_autocheckpoint", SQLITE_DEFAULT_AUTOCHECKPOINT);
    this.opts.logger.error(
      { err: (e as Error)?.message ?? String(e) },
      "checkpoint thread stopped; the writer checkpoints again",
    );
  }

  /** A last pass (after the final writes), then the thread ends. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const stopped = new Promise<void>((resolve) => {
      const done = (m: unknown) => {
        if ((m as { type?: string })?.type === "stopped") resolve();
      };
      this.#worker.on("message", done);
      this.#worker.once("exit", () => resolve());
      setTimeout(resolve, 5000).unref();
    });
    this.#worker.postMessage({ type: "stop" });
    await stopped;
    await this.#worker.terminate();
  }
}
