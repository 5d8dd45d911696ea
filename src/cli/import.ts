import { readFileSync } from "node:fs";
import type { IngestService } from "../services/ingest/ingest-service.js";
import type { ConversationDeps } from "../services/conversations/grow.js";
import { importFile, type ImportProgress, type ImportResult } from "../services/import/import-file.js";
import { mappingFromFlags, mappingSchema, type Mapping } from "../services/import/mapping.js";
import { UsageError } from "./keys.js";

export interface ImportFlags {
  format?: string;
  kind?: string;
  map?: string;
  field?: string[];
  sender?: string;
  batch?: string;
  restart?: boolean;
}

/** One status line: lines done, rate, ETA (from the bytes read), outcomes. */
export function progressLine(p: ImportProgress): string {
  const rate = p.elapsedMs > 0 ? (p.lines / p.elapsedMs) * 1000 : 0;
  const fraction = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 1;
  const eta = fraction > 0 && fraction < 1 ? ((p.elapsedMs / fraction) * (1 - fraction)) / 1000 : 0;
  const width = 24;
  const bar = "█".repeat(Math.round(fraction * width)).padEnd(width, "░");
  return `${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.lines.toLocaleString("en")} lines  ${Math.round(rate).toLocaleString("en")}/s  ETA ${eta.toFixed(0)} s  created ${p.created}, existing ${p.existing}, failed ${p.failed}`;
}

function mappingOf(flags: ImportFlags): Mapping | undefined {
  const fromFile = flags.map ? mappingSchema.parse(JSON.parse(readFileSync(flags.map, "utf8"))) : undefined;
  const fromFlags = flags.field?.length ? mappingFromFlags(flags.field) : undefined;
  return fromFile || fromFlags ? { ...fromFile, ...fromFlags } : undefined;
}

/** `earshot import <file>`: see docs/import.md. */
export async function importCommand(
  ingest: IngestService,
  file: string | undefined,
  flags: ImportFlags,
  err: NodeJS.WritableStream & { isTTY?: boolean },
  signal?: AbortSignal,
  conversations?: ConversationDeps,
): Promise<ImportResult> {
  if (!file)
    throw new UsageError(
      "usage: earshot import <file> [--format csv|jsonl] [--kind interaction|event] [--map mapping.json] [--field target=column ...] [--sender NAME] [--batch N] [--restart]",
    );
  const format = (flags.format ?? (file.toLowerCase().endsWith(".csv") ? "csv" : "jsonl")) as "csv" | "jsonl";
  if (format !== "csv" && format !== "jsonl") throw new UsageError("--format must be csv or jsonl");
  const kind = (flags.kind ?? "interaction") as "interaction" | "event";
  if (kind !== "interaction" && kind !== "event") throw new UsageError("--kind must be interaction or event");
  const batchSize = flags.batch === undefined ? 500 : Number(flags.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000)
    throw new UsageError("--batch must be a whole number from 1 to 1000");
  let mapping: Mapping | undefined;
  try {
    mapping = mappingOf(flags);
  } catch (e) {
    throw new UsageError(`the mapping is invalid: ${(e as Error).message}`);
  }
  if (format === "csv" && !mapping && !flags.sender)
    throw new UsageError("a CSV import needs a mapping: --map mapping.json or --field target=column");
  let lastPrinted = 0;
  const result = await importFile(ingest, {
    file,
    format,
    kind,
    mapping,
    sender: flags.sender,
    batchSize,
    restart: flags.restart,
    signal,
    conversations,
    progress: (p) => {
      if (err.isTTY) err.write(`\r${progressLine(p)}`);
      else if (p.elapsedMs - lastPrinted > 5000) {
        lastPrinted = p.elapsedMs;
        err.write(progressLine(p) + "\n");
      }
    },
  });
  if (err.isTTY) err.write("\n");
  err.write(progressLine(result) + "\n");
  if (result.resumedFrom) err.write(`resumed after line ${result.resumedFrom}\n`);
  if (result.errorsFile) err.write(`${result.failed} line(s) failed: see ${result.errorsFile}\n`);
  if (result.interrupted) err.write(`interrupted: run the same command again to resume\n`);
  return result;
}
