// The journey read of moment scoring (src/services/moments/journey.ts) in the two shapes a write
// transaction can send it, side by side in one run on the same rows: rows as they come (through a
// libSQL server, a Hrana cursor line per row and an object per value) against the rows packed by
// SQLite as one JSON text (src/db/json-rows.ts). Through sqld over http and ws, each shape also on a
// server started with the extra flags of --flags (--flags=--disable-metrics). Prints the client's and
// the server's CPU per row read, in µs and in VADER units measured in the same run.
//   SQLD_PATH=…/sqld npx tsx bench/read-shape.ts [-- --reads 40 --customers 500 --per-customer 8 --flags=--disable-metrics]
import { parseArgs } from "node:util";
import { openDb, writeTransaction } from "../src/db/client.js";
import { jsonRowsStatements, type SqlValue } from "../src/db/insert-values.js";
import { runMigrations } from "../src/db/migrate.js";
import { journeyStatements, journeysFrom } from "../src/services/moments/journey.js";
import { startSqld } from "../test/support/sqld.js";
import { cpuTreeMs, cpuUntilQuiet, ownCpuMs, sampleInteractions } from "./lib.js";
import { vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    reads: { type: "string", default: "40" },
    "warm-up": { type: "string", default: "8" },
    customers: { type: "string", default: "500" },
    "per-customer": { type: "string", default: "8" },
    protocols: { type: "string", default: "http,ws" },
    flags: { type: "string", default: "" },
  },
});
const customers = Number(values.customers);
const perCustomer = Number(values["per-customer"]);

const columns = [
  "id", "source", "external_id", "channel", "customer_id", "occurred_at", "received_at", "text",
  "channel_data", "analysis", "analysis_version", "sentiment_score", "complaint_risk", "flagged",
  "need_ids", "topic_ids", "created_at",
]; // biome-ignore format: one column list
const corpus = sampleInteractions();
const at = Date.parse("2026-03-10T09:00:00Z");
const rows: SqlValue[][] = [];
for (let c = 0; c < customers; c++)
  for (let k = 0; k < perCustomer; k++) {
    const n = c * perCustomer + k;
    const item = corpus[n % corpus.length];
    rows.push([
      `int_${n}`, "bench", `read-${n}`, "social", `cus_${c}`, at + n, at + n, String(item.text),
      '{"public":true}', "[]", "1", Math.sin(n) / 3, Math.abs(Math.cos(n)), n % 2, "1,2", "3", at,
    ]); // biome-ignore format: one row
  }
const windows = Array.from({ length: customers }, (_, c) => ({
  customerId: `cus_${c}`,
  from: at - 3 * 86_400_000,
  to: at + 3 * 86_400_000,
}));

async function measure(url: string, pid: number, packed: boolean, reads: number) {
  const db = await openDb({ url });
  let read = 0;
  const c0 = ownCpuMs();
  const s0 = cpuTreeMs(pid);
  for (let i = 0; i < reads; i++)
    await writeTransaction(db, async (tx) => {
      const [a, b] = await tx.batch(journeyStatements(windows, packed ? tx : undefined));
      for (const journey of journeysFrom(a, b).values()) read += journey.length;
    });
  const client = ownCpuMs() - c0;
  const server = (await cpuUntilQuiet(pid)) - s0;
  db.$client.close();
  if (read !== reads * rows.length) throw new Error(`read ${read} rows, expected ${reads * rows.length}`);
  return { clientUs: (client * 1000) / read, serverUs: (server * 1000) / read };
}

const report = vaderYardstick();
const figures: Array<[string, number]> = [];
const lines: string[] = [];
const variants = values.flags ? [[], values.flags.split(" ")] : [[]];
for (const protocol of values.protocols.split(","))
  for (const flags of variants)
    for (const packed of [false, true]) {
      const sqld = await startSqld({ args: flags });
      const url = protocol === "ws" ? sqld.url.replace(/^http/, "ws") : sqld.url;
      try {
        const db = await openDb({ url });
        await runMigrations(db);
        await db.$client.execute("PRAGMA foreign_keys = OFF");
        await db.write(({ client }) =>
          client.batch(
            [
              ...Array.from({ length: customers }, (_, c) => ({
                sql: "INSERT INTO customers (id, created_at, updated_at) VALUES (?, 0, 0)",
                args: [`cus_${c}`],
              })),
              ...jsonRowsStatements("interactions", columns, rows),
            ],
            "write",
          ),
        );
        db.$client.close();
        await measure(url, sqld.proc.pid!, packed, Number(values["warm-up"]));
        const r = await measure(url, sqld.proc.pid!, packed, Number(values.reads));
        const name = `${protocol}${flags.length ? ` ${flags.join(" ")}` : ""}, ${packed ? "packed as one JSON text" : "rows"}`;
        lines.push(`| ${name} | ${r.clientUs.toFixed(2)} µs | ${r.serverUs.toFixed(2)} µs |`);
        figures.push(
          [`${name}: client CPU per row read`, r.clientUs],
          [`${name}: server CPU per row read`, r.serverUs],
        );
      } finally {
        await sqld.stop();
      }
    }
console.log(
  `\n${values.reads} journey reads of ${customers} customers × ${perCustomer} interactions (${rows.length} rows each), in a write transaction:`,
);
console.log("| sqld, shape | client CPU per row | server CPU per row |\n|---|---|---|");
for (const l of lines) console.log(l);
report(figures);
