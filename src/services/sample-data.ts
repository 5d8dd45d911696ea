import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { count } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { interactions } from "../db/schema/index.js";
import type { IngestService, RecordKind } from "./ingest/ingest-service.js";

export const sampleDataDir = fileURLToPath(new URL("../../sample-data", import.meta.url));

export async function databaseIsEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(interactions);
  return (row?.n ?? 0) === 0;
}

/** Loads `events.jsonl` then `interactions.jsonl` through the normal ingest path, in batches. */
export async function loadSampleData(ingest: IngestService, dir = sampleDataDir): Promise<Record<RecordKind, number>> {
  const loaded: Record<RecordKind, number> = { event: 0, interaction: 0 };
  for (const [kind, file] of [["event", "events.jsonl"], ["interaction", "interactions.jsonl"]] as const) {
    const path = join(dir, file);
    if (!existsSync(path)) continue;
    let batch: unknown[] = [];
    const flush = async () => {
      const results = await ingest.ingestMany(kind, batch);
      const bad = results.find((r) => r.status === 422);
      if (bad) throw new Error(`sample ${file} has an invalid item: ${JSON.stringify(bad.problem?.errors)}`);
      loaded[kind] += results.length;
      batch = [];
    };
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
      if (!line.trim()) continue;
      batch.push(JSON.parse(line));
      if (batch.length === 500) await flush();
    }
    if (batch.length) await flush();
  }
  return loaded;
}
