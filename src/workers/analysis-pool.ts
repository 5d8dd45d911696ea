import { availableParallelism } from "node:os";
import type { AnalysisInput, Analyzer } from "../analysis/index.js";
import { toRecord, type AnalysisForm, type AnalysisRecord } from "./analysis-record.js";

export type { AnalysisForm, AnalysisRecord } from "./analysis-record.js";
import { workerEntry, WorkerPool } from "./pool.js";
import type { AnalyzeChunk, AnalyzeChunkResult } from "./analysis-pool-worker.js";

/** Analysis as the ingest path uses it: many inputs at once, possibly off the event loop. */
export interface BatchAnalyzer {
  readonly version: string;
  /** Analyses, serialised in `form` (packed for storing, the default; an object for the API). */
  analyzeMany(inputs: AnalysisInput[], form?: AnalysisForm): Promise<AnalysisRecord[]>;
  close(): Promise<void>;
  /** Work handed to worker threads and not yet back (0 when analysis runs in-process). */
  readonly inFlight?: number;
}

/** Analyses on the calling thread (ANALYSIS_WORKERS=0, and most tests). */
export function inProcessAnalyzer(analyzer: Analyzer): BatchAnalyzer {
  return {
    version: analyzer.version,
    analyzeMany: async (inputs, form = "packed") => inputs.map((i) => toRecord(analyzer.analyze(i), form)),
    close: async () => {},
  };
}

/** Largest slice of a batch sent to one worker, so a big batch spreads out and a single post never waits behind one. */
const MAX_CHUNK = 50;

/**
 * Analyses on a pool of worker threads sized to the cores, keeping the event loop free for HTTP and
 * the database writer. Each worker loads the same lexicons, so results carry the same version.
 */
export class WorkerAnalyzer implements BatchAnalyzer {
  #pool: WorkerPool<AnalyzeChunk, AnalyzeChunkResult>;
  #seq = 0;
  /** The lexicon version the workers report (known after `warm`); the main thread never loads lexicons. */
  version = "";

  constructor(lexiconDir?: string, size = availableParallelism()) {
    this.#pool = new WorkerPool(workerEntry("./analysis-pool-worker", import.meta.url), size, { lexiconDir });
  }

  async analyzeMany(inputs: AnalysisInput[], form: AnalysisForm = "packed"): Promise<AnalysisRecord[]> {
    if (inputs.length === 0) return [];
    const size = Math.min(MAX_CHUNK, Math.ceil(inputs.length / this.#pool.size));
    const chunks: Promise<AnalyzeChunkResult>[] = [];
    for (let i = 0; i < inputs.length; i += size)
      chunks.push(this.#pool.run({ seq: this.#seq++, inputs: inputs.slice(i, i + size), form }));
    return (await Promise.all(chunks)).flatMap((c) => c.outputs);
  }

  /**
   * Resolves once every worker has loaded its lexicons and analysed a few messages, so the first real
   * requests do not wait for worker start-up or cold code (the server starts listening after this).
   */
  async warm(samples: AnalysisInput[]): Promise<void> {
    const rounds = Array.from({ length: this.#pool.size }, () =>
      this.#pool.run({ seq: this.#seq++, inputs: samples, form: "packed" }),
    );
    const done = await Promise.all(rounds);
    this.version = done[0]?.outputs[0]?.version ?? "";
  }

  /** Chunks of analysis waiting on a worker. */
  get inFlight() {
    return this.#pool.inFlight;
  }

  close() {
    return this.#pool.close();
  }
}
