import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

interface Pending<R> {
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * A fixed pool of worker threads, each running `entry` (a module that answers every message it gets
 * with one message). Tasks go to the worker with the fewest in flight; answers come back by sequence.
 */
export class WorkerPool<T extends { seq: number }, R extends { seq: number }> {
  #workers: Array<{ worker: Worker; inFlight: number }> = [];
  #pending = new Map<number, Pending<R>>();

  constructor(entry: URL, size = availableParallelism(), workerData: Record<string, unknown> = {}) {
    const boot = new URL("./boot.mjs", import.meta.url);
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(boot, { workerData: { ...workerData, entry: entry.href } });
      const slot = { worker, inFlight: 0 };
      worker.on("message", (r: R) => {
        slot.inFlight--;
        const p = this.#pending.get(r.seq);
        this.#pending.delete(r.seq);
        p?.resolve(r);
      });
      worker.on("error", (e) => {
        for (const p of this.#pending.values()) p.reject(e);
        this.#pending.clear();
      });
      this.#workers.push(slot);
    }
  }

  get size() {
    return this.#workers.length;
  }

  run(task: T): Promise<R> {
    const slot = this.#workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    slot.inFlight++;
    return new Promise((resolve, reject) => {
      this.#pending.set(task.seq, { resolve, reject });
      slot.worker.postMessage(task);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.worker.terminate()));
  }
}
