import {
  createReadStream,
  existsSync,
  readFileSync,
  statSync,
  writeFileSync,
  appendFileSync,
  renameSync,
} from "node:fs";
import { createInterface } from "node:readline";
import { parse } from "csv-parse";
import { connectorFor } from "../connectors/receive.js";
import { appendMessage, setConversationClosed, type ConversationDeps } from "../conversations/grow.js";
import type { IngestService, ItemResult, RecordKind } from "../ingest/ingest-service.js";

/** Batches analysed and written at once. */
const IN_FLIGHT = 3;
import { applyMapping, type Mapping } from "./mapping.js";

export interface ImportOptions {
  file: string;
  format: "csv" | "jsonl";
  kind: RecordKind;
  mapping?: Mapping;
  /** A connector whose payloads the lines are (one delivery per line): `x`, `reddit`, `vcon`, … */
  sender?: string;
  /** Records written per batch (one ingest call, one group commit or a few). */
  batchSize: number;
  /** Start over even when a state file says part of the file is done. */
  restart?: boolean;
  /** Called after each batch with the lines done, the file's bytes read and its size. */
  progress?: (p: ImportProgress) => void;
  /** Stops the import after the current batch (Ctrl-C); it resumes from the state file. */
  signal?: AbortSignal;
  /**
   * Where chat messages delivered one at a time (Chatwoot, Intercom lines) grow their conversations;
   * without it they are reported in the error file.
   */
  conversations?: ConversationDeps;
}

export interface ImportProgress {
  lines: number;
  created: number;
  existing: number;
  failed: number;
  bytesRead: number;
  bytesTotal: number;
  elapsedMs: number;
}

export interface ImportResult extends ImportProgress {
  resumedFrom: number;
  errorsFile?: string;
  interrupted: boolean;
}

interface State {
  file: string;
  size: number;
  lines: number;
  created: number;
  existing: number;
  failed: number;
}

/** Beside the input: `<file>.import-state.json` (where to resume) and `<file>.errors.jsonl` (one line per bad line). */
export const stateFileOf = (file: string) => `${file}.import-state.json`;
export const errorsFileOf = (file: string) => `${file}.errors.jsonl`;

function readState(file: string): State | undefined {
  const path = stateFileOf(file);
  if (!existsSync(path)) return undefined;
  try {
    const s = JSON.parse(readFileSync(path, "utf8")) as State;
    // A state for a file that has since changed size is not this file's.
    return s.size === statSync(file).size ? s : undefined;
  } catch {
    return undefined;
  }
}

function writeState(file: string, s: State) {
  // Written whole and renamed: an interruption mid-write leaves the previous state.
  const tmp = `${stateFileOf(file)}.tmp`;
  writeFileSync(tmp, JSON.stringify(s));
  renameSync(tmp, stateFileOf(file));
}

/** Lines of the file as objects, with their 1-based line numbers (CSV: the header is line 1). */
async function* linesOf(
  opts: ImportOptions,
  counter: { bytes: number },
): AsyncGenerator<{ n: number; value?: Record<string, unknown>; error?: string }> {
  const stream = createReadStream(opts.file);
  stream.on("data", (chunk) => (counter.bytes += chunk.length));
  if (opts.format === "csv") {
    const parser = stream.pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }),
    );
    for await (const rec of parser as AsyncIterable<{ record: Record<string, unknown>; info: { lines: number } }>)
      yield { n: rec.info.lines, value: rec.record };
    return;
  }
  let n = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    n++;
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line);
      if (value === null || typeof value !== "object") yield { n, error: "is not a JSON object" };
      else yield { n, value };
    } catch (e) {
      yield { n, error: `is not JSON: ${(e as Error).message}` };
    }
  }
}

/**
 * Imports a CSV or JSONL export through the ingest service in batches: the same validation, masking,
 * idempotency on (source, externalId) and durable writes as the API. After each batch the position is
 * saved beside the file, so an interrupted import resumes where it stopped (and a line written twice
 * is answered as existing, never stored twice). Bad lines go to the error report, not to a halt.
 */
export async function importFile(ingest: IngestService, opts: ImportOptions): Promise<ImportResult> {
  const size = statSync(opts.file).size;
  const previous = opts.restart ? undefined : readState(opts.file);
  const state: State = previous ?? { file: opts.file, size, lines: 0, created: 0, existing: 0, failed: 0 };
  const resumedFrom = state.lines;
  const errorsFile = errorsFileOf(opts.file);
  if (!previous) writeFileSync(errorsFile, "");
  const connector = opts.sender ? connectorFor(opts.sender) : undefined;
  const started = performance.now();
  const counter = { bytes: 0 };
  let batch: Array<{ n: number; record: unknown; kind: RecordKind }> = [];
  let lastLine = state.lines;
  let interrupted = false;

  const report = (n: number, errors: unknown) => {
    state.failed++;
    appendFileSync(errorsFile, JSON.stringify({ line: n, errors }) + "\n");
  };
  const snapshot = (): ImportProgress => ({
    lines: state.lines,
    created: state.created,
    existing: state.existing,
    failed: state.failed,
    bytesRead: counter.bytes,
    bytesTotal: size,
    elapsedMs: performance.now() - started,
  });

  // Up to IN_FLIGHT batches are analysed and written at once (the writer group-commits them); the
  // state advances in file order, so a resume never skips a line whose batch had not committed.
  const inFlight: Array<{ done: Promise<Array<{ n: number; r: ItemResult }>>; lastLine: number }> = [];
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    for (const { n, r } of await oldest.done) {
      if (r.outcome === "invalid" || r.outcome === "conflict") report(n, r.errors);
      else if (r.outcome === "created") state.created++;
      else state.existing++;
    }
    state.lines = oldest.lastLine;
    writeState(opts.file, state);
    opts.progress?.(snapshot());
  };
  const flush = async () => {
    const items = batch;
    batch = [];
    const done = Promise.all(
      (["interaction", "event"] as const).map(async (kind) => {
        const part = items.filter((b) => b.kind === kind);
        if (!part.length) return [];
        const results = await ingest.ingestMany(
          kind,
          part.map((b) => b.record),
          [],
        );
        return results.map((r, i) => ({ n: part[i].n, r }));
      }),
    ).then((parts) => parts.flat());
    // A failed batch (the database gone) still fails the import, at its turn.
    done.catch(() => {});
    inFlight.push({ done, lastLine });
    while (inFlight.length >= IN_FLIGHT) await settleOldest();
  };
  const drain = async () => {
    while (inFlight.length) await settleOldest();
  };

  for await (const line of linesOf(opts, counter)) {
    if (line.n <= resumedFrom) continue;
    lastLine = line.n;
    if (line.error || !line.value) {
      report(line.n, [{ field: "(line)", message: line.error }]);
      continue;
    }
    if (connector) {
      try {
        const mapped = connector.map(line.value, { query: {} });
        for (const r of mapped.interactions) batch.push({ n: line.n, record: r, kind: "interaction" });
        for (const r of mapped.events) batch.push({ n: line.n, record: r, kind: "event" });
        // Chat messages grow their conversations in place, one at a time in file order, as the connector
        // route does: idempotent per message id, so a resumed import replays them harmlessly.
        if (mapped.messages?.length && opts.conversations) {
          for (const m of mapped.messages) {
            const r = await appendMessage(opts.conversations, m);
            if (r.status === "invalid") report(line.n, r.errors);
            else if (r.status === "closed")
              mapped.unmapped.push(`message ${m.messageId}: conversation ${m.conversationId} is closed`);
            else if (r.status === "existing") state.existing++;
            else state.created++;
          }
          for (const c of mapped.conversations ?? [])
            await setConversationClosed(opts.conversations, opts.sender!, c.conversationId, c.closed, c.at);
        } else if (mapped.messages?.length)
          mapped.unmapped.push(
            `${mapped.messages.length} chat message(s): post ${opts.sender} webhooks to /v1/connectors/${opts.sender} to grow their conversations`,
          );
        if (mapped.unmapped.length)
          appendFileSync(errorsFile, JSON.stringify({ line: line.n, unmapped: mapped.unmapped }) + "\n");
      } catch (e) {
        report(line.n, (e as { fields?: unknown }).fields ?? [{ field: "(line)", message: (e as Error).message }]);
      }
    } else batch.push({ n: line.n, record: applyMapping(line.value, opts.mapping), kind: opts.kind });
    if (batch.length >= opts.batchSize) {
      await flush();
      if (opts.signal?.aborted) {
        interrupted = true;
        break;
      }
    }
  }
  if (!interrupted) await flush();
  await drain();
  return { ...snapshot(), resumedFrom, errorsFile: state.failed ? errorsFile : undefined, interrupted };
}
