// The two shapes of a multi-row INSERT, side by side in one run on the same rows, on an embedded file
// and through a libSQL server (http and ws): one placeholder per value (`VALUES (?, …), …`,
// valuesStatements) against the rows as one JSON text
// (`SELECT value->>0, … FROM json_each(?)`, jsonRowsStatements; src/db/insert-values.ts). Prints the client's and the
// server's CPU per row, in µs and in VADER units measured in the same run.
//   SQLD_PATH=…/sqld npx tsx bench/insert-shape.ts [-- --batches 60 --rows 500]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { InStatement } from "@libsql/client";
import { openDb } from "../src/db/client.js";
import { jsonRowsStatements, type SqlValue, valuesStatements } from "../src/db/insert-values.js";
import { runMigrations } from "../src/db/migrate.js";
import { cpuTreeMs, cpuUntilQuiet, ownCpuMs, sampleInteractions, startSqldServer } from "./lib.js";
import { vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "60" },
    "warm-up": { type: "string", default: "10" },
    rows: { type: "string", default: "500" },
    urls: { type: "string", default: "file,http,ws" },
  },
});
const perBatch = Number(values.rows);

// The interactions table's columns as ingest writes them, with texts from the bench corpus.
const columns = [
  "id", "source", "external_id", "channel", "customer_id", "occurred_at", "received_at", "subject", "text",
  "turns", "channel_data", "metadata", "analysis", "analysis_version", "sentiment_score", "complaint_risk",
  "flagged", "need_ids", "topic_ids", "content_hash", "created_at",
]; // biome-ignore format: one column list
const corpus = sampleInteractions();
let serial = 0;
function rowsOfBatch(): SqlValue[][] {
  const now = Date.now();
  return Array.from({ length: perBatch }, () => {
    const n = ++serial;
    const item = corpus[n % corpus.length];
    return [
      `int_${n}`, "bench", `shape-${n}`, String(item.channel), "cus_1", now - n, now, null, String(item.text),
      null, "{}", JSON.stringify({ n }), JSON.stringify({ v: 1, labels: ["a", "b"] }), 3, Math.sin(n) / 3,
      Math.abs(Math.cos(n)), n % 2, "1,2", "3", `h${n}`, now,
    ]; // biome-ignore format: one row
  });
}

type Shape = (table: string, columns: string[], rows: SqlValue[][]) => InStatement[];
const shapes: Array<[string, Shape]> = [
  ["placeholders", valuesStatements],
  ["json_each", jsonRowsStatements],
];

async function measure(url: string, serverPid: number | undefined, shape: Shape, batches: number) {
  const db = await openDb({ url });
  await runMigrations(db);
  await db.$client.execute("INSERT OR IGNORE INTO customers (id, created_at, updated_at) VALUES ('cus_1', 0, 0)");
  const work = Array.from({ length: batches }, rowsOfBatch);
  const c0 = ownCpuMs();
  const s0 = serverPid ? cpuTreeMs(serverPid) : 0;
  const t0 = performance.now();
  for (const rows of work) await db.write(({ client }) => client.batch(shape("interactions", columns, rows), "write"));
  const ms = performance.now() - t0;
  const client = ownCpuMs() - c0;
  const server = serverPid ? (await cpuUntilQuiet(serverPid)) - s0 : 0;
  db.$client.close();
  const n = batches * perBatch;
  return { clientUs: (client * 1000) / n, serverUs: (server * 1000) / n, perSecond: n / (ms / 1000) };
}

const report = vaderYardstick();
const figures: Array<[string, number]> = [];
const lines: string[] = [];
for (const kind of values.urls.split(",")) {
  for (const [name, shape] of shapes) {
    let url: string;
    let stop = async () => {};
    let pid: number | undefined;
    const dir = mkdtempSync(join(tmpdir(), "earshot-shape-"));
    if (kind === "file") url = `file:${join(dir, "db.sqlite")}`;
    else {
      const sqld = await startSqldServer();
      url = kind === "ws" ? sqld.url.replace(/^http/, "ws") : sqld.url;
      pid = sqld.proc.pid;
      stop = sqld.stop;
    }
    try {
      await measure(url, pid, shape, Number(values["warm-up"]));
      const r = await measure(url, pid, shape, Number(values.batches));
      lines.push(
        `| ${kind} | ${name} | ${Math.round(r.perSecond)} | ${r.clientUs.toFixed(1)} µs | ${pid ? `${r.serverUs.toFixed(1)} µs` : "—"} |`,
      );
      figures.push([`${kind} ${name}: client CPU per row`, r.clientUs]);
      if (pid) figures.push([`${kind} ${name}: server CPU per row`, r.serverUs]);
    } finally {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
console.log(`\n${values.batches} batches of ${perBatch} interaction rows (21 columns), one write batch each:`);
console.log("| database | statement shape | rows/s | client CPU per row | server CPU per row |\n|---|---|---|---|---|");
for (const l of lines) console.log(l);
report(figures);
