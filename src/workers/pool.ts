import { availableParallelism } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";

interface Pending<R> {
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

interface Slot<R> {
  worker: Worker;
  pending: Map<number, Pending<R>>;
}

export class WorkerCrashed extends Error {}

/**
 * The heap limits `npm start` gives V8 (`--max-semi-space-size=4 --max-old-space-size=192` in
 * package.json), for worker threads wherever they run (the CLI and the demo run without those flags).
 * Without them V8 let each analysis worker's heap fill with garbage before collecting: the batch CLI
 * peaked at 421 MB on 100,000 lines, 301 MB with them, at the same speed.
 */
export const WORKER_HEAP_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 192 };

/**
 * A worker entry next to `base`: the `.ts` source under tsx, the compiled `.js` in a build (`npm start`).
 * `name` is given without extension.
 */
export function workerEntry(name: string, base: string): URL {
  return new URL(`${name}${base.endsWith(".ts") ? ".ts" : ".js"}`, base);
}

/**
 * A fixed pool of worker threads, each running `entry` (a module that answers every message it gets
 * with one message carrying the same `seq`). Tasks go to the worker with the fewest in flight. A worker
 * that dies fails only its own tasks and is replaced.
 */
export class WorkerPool<T extends { seq: number }, R extends { seq: number }> {
  #slots: Slot<R>[] = [];
  #closed = false;

  constructor(
    private readonly entry: URL,
    size = availableParallelism(),
    private readonly workerData: Record<string, unknown> = {},
    private readonly resourceLimits: ResourceLimits = WORKER_HEAP_LIMITS,
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot<R> {
    const worker = new Worker(new URL("./boot.mjs", import.meta.url), {
      workerData: { ...this.workerData, entry: this.entry.href },
      resourceLimits: this.resourceLimits,
    });
    const slot: Slot<R> = { worker, pending: new Map() };
    worker.on("message", (r: R) => {
      const p = slot.pending.get(r.seq);
      slot.pending.delete(r.seq);
      p?.resolve(r);
    });
    const fail = (e: unknown) => {
      for (const p of slot.pending.values())
        p.reject(new WorkerCrashed(`analysis worker failed: ${(e as Error)?.message ?? e}`));
      slot.pending.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      fail(new Error(`exited with code ${code}`));
      if (!this.#closed) this.#slots[this.#slots.indexOf(slot)] = this.#spawn();
    });
    return slot;
  }

  get size() {
    return this.#slots.length;
  }

  /** Tasks sent to workers and not yet answered. */
  get inFlight() {
    return this.#slots.reduce((n, s) => n + s.pending.size, 0);
  }

  run(task: T): Promise<R> {
    const slot = this.#slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    return new Promise((resolve, reject) => {
      slot.pending.set(task.seq, { resolve, reject });
      slot.worker.postMessage(task);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
