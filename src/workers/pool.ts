import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

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
  ) {
    for (let i = 0; i < Math.max(1, size); i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot<R> {
    const worker = new Worker(new URL("./boot.mjs", import.meta.url), { workerData: { ...this.workerData, entry: this.entry.href } });
    const slot: Slot<R> = { worker, pending: new Map() };
    worker.on("message", (r: R) => {
      const p = slot.pending.get(r.seq);
      slot.pending.delete(r.seq);
      p?.resolve(r);
    });
    const fail = (e: unknown) => {
      for (const p of slot.pending.values()) p.reject(new WorkerCrashed(`analysis worker failed: ${(e as Error)?.message ?? e}`));
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
