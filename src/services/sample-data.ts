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

/**
 * Loads `events.jsonl` then `interactions.jsonl` through the normal ingest path, in batches. With
 * `endAt`, every timestamp moves by the same amount so the newest record lands just before it: the demo
 * then has something in "the last hour" and its trends end today.
 */
export async function loadSampleData(
  ingest: IngestService,
  dir = sampleDataDir,
  opts: { endAt?: Date } = {},
): Promise<Record<RecordKind, number>> {
  const files = [
    ["event", "events.jsonl"],
    ["interaction", "interactions.jsonl"],
  ] as const;
  const records = new Map<RecordKind, Array<{ occurredAt?: string }>>();
  for (const [kind, file] of files) {
    const path = join(dir, file);
    const rows: Array<{ occurredAt?: string }> = [];
    if (existsSync(path)) {
      for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity }))
        if (line.trim()) rows.push(JSON.parse(line));
    }
    records.set(kind, rows);
  }
  if (opts.endAt) {
    const all = [...records.values()].flat();
    const newest = Math.max(...all.map((r) => Date.parse(r.occurredAt ?? "") || 0));
    const shift = Math.floor((opts.endAt.getTime() - 5 * 60_000 - newest) / 60_000) * 60_000;
    for (const r of all) if (r.occurredAt) r.occurredAt = new Date(Date.parse(r.occurredAt) + shift).toISOString();
  }
  const loaded: Record<RecordKind, number> = { event: 0, interaction: 0 };
  for (const [kind, file] of files) {
    const rows = records.get(kind) ?? [];
    for (let i = 0; i < rows.length; i += 500) {
      const results = await ingest.ingestMany(kind, rows.slice(i, i + 500));
      const bad = results.find((r) => r.outcome === "invalid");
      if (bad) throw new Error(`sample ${file} has an invalid item: ${JSON.stringify(bad.errors)}`);
      loaded[kind] += results.length;
    }
  }
  return loaded;
}
