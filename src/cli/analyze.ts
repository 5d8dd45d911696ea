import { createInterface } from "node:readline";
import { once } from "node:events";
import type { Readable, Writable } from "node:stream";
import { defaultLexiconDir } from "../services/lexicons.js";
import { compiledEntry } from "../workers/compiled-entry.js";
import { workerEntry, WorkerPool } from "../workers/pool.js";
import type { LineChunk, LineChunkResult } from "../workers/jsonl-worker.js";

const CHUNK_LINES = 200;

export interface AnalyzeCliOptions {
  input: Readable;
  output: Writable;
  log: (line: string) => void;
  workers: number;
  lexiconDir?: string;
}

/**
 * Streams JSON lines through the analysis engine on a pool of worker threads: one output line per
 * input line, in input order. At most two chunks per worker are in flight, so memory stays bounded
 * however long the input is.
 */
export async function analyzeJsonLines(opts: AnalyzeCliOptions): Promise<{ lines: number; errors: number }> {
  const entry = compiledEntry(
    workerEntry("../workers/jsonl-worker", import.meta.url),
    new URL("../../", import.meta.url),
  );
  // The lexicon directory is resolved here: a bundled worker's own module location says nothing.
  const pool = new WorkerPool<LineChunk, LineChunkResult>(entry, opts.workers, {
    lexiconDir: opts.lexiconDir ?? defaultLexiconDir,
  });
  const maxInFlight = pool.size * 2;
  const started = Date.now();
  let lines = 0;
  let errors = 0;
  let nextToWrite = 0;
  let seq = 0;
  const done = new Map<number, LineChunkResult>();
  const inFlight = new Set<Promise<void>>();
  let lastProgress = started;

  const flush = async () => {
    while (done.has(nextToWrite)) {
      const result = done.get(nextToWrite)!;
      done.delete(nextToWrite);
      for (const [i, o] of result.outcomes.entries()) {
        if (o.error) {
          errors++;
          opts.log(`line ${result.seq * CHUNK_LINES + i + 1}: ${o.error}`);
        }
        if (!opts.output.write(o.json + "\n")) await once(opts.output, "drain");
      }
      lines += result.outcomes.length;
      nextToWrite++;
    }
    if (Date.now() - lastProgress > 2000) {
      lastProgress = Date.now();
      opts.log(`analysed ${lines} lines (${Math.round(lines / ((Date.now() - started) / 1000))}/s)`);
    }
  };

  const submit = async (chunk: string[]) => {
    const task = pool.run({ seq: seq++, lines: chunk }).then(async (r) => {
      done.set(r.seq, r);
    });
    const tracked = task.then(() => {
      inFlight.delete(tracked);
    });
    inFlight.add(tracked);
    while (inFlight.size >= maxInFlight) {
      await Promise.race(inFlight);
      await flush();
    }
  };

  try {
    const rl = createInterface({ input: opts.input, crlfDelay: Infinity });
    let chunk: string[] = [];
    for await (const line of rl) {
      if (line.trim() === "") continue;
      chunk.push(line);
      if (chunk.length === CHUNK_LINES) {
        await submit(chunk);
        chunk = [];
      }
    }
    if (chunk.length) await submit(chunk);
    await Promise.all(inFlight);
    await flush();
  } finally {
    await pool.close();
  }
  const secs = (Date.now() - started) / 1000;
  // maxRSS covers the worker threads too: they live in this process.
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024);
  opts.log(
    `done: ${lines} lines, ${errors} bad, ${secs.toFixed(1)} s (${Math.round(lines / Math.max(secs, 0.001))}/s), peak RSS ${peakMb} MB`,
  );
  return { lines, errors };
}
