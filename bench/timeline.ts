// Timeline, profile and search latency over 1,000,000 interactions and events for 100,000 customers.
//   npm run bench:timeline [-- --records 1000000 --customers 100000] [-- --replica --protocol ws]
// Rows are written straight into a fresh database with multi-row inserts; interaction texts and their
// analyses come from the sample data (analysed once), so stored rows have realistic sizes.
// --replica (with SQLD_PATH): the same file is then served by an sqld primary, which writes it into
// its replication log, and an sqld replica syncs it; every request is timed against the embedded file
// and against a node reading from the replica (DATABASE_REPLICA_URL), one after the other in one run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { createApiKey } from "../src/services/api-keys.js";
import { indexPendingInteractions } from "../src/services/search-indexer.js";
import { sampleInteractions } from "./lib.js";
import { startReplicaTarget, type Target } from "./timeline-replica.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    customers: { type: "string", default: "100000" },
    keep: { type: "boolean", default: false },
    replica: { type: "boolean", default: false },
    protocol: { type: "string", default: "http" },
  },
});
const RECORDS = Number(values.records);
const CUSTOMERS = Number(values.customers);
const DAYS = 90;
const END = Date.parse("2026-03-31T00:00:00Z");
const START = END - DAYS * 86_400_000;
const reportInVader = vaderYardstick();
const figures: Array<[label: string, us: number]> = [];

let seed = 42;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

const dir = mkdtempSync(join(tmpdir(), "earshot-timeline-"));
// The background search indexer stays out of the load (it would compete with it for the write lock);
// the load indexes everything itself before the requests.
const runtime = await createRuntime(
  loadConfig({
    DATABASE_URL: `file:${join(dir, "timeline.db")}`,
    LOG_LEVEL: "silent",
    ANALYSIS_WORKERS: "0",
    SEARCH_INDEX_INTERVAL_MS: "60000",
  }),
  { logger: createLogger("silent"), clock: () => new Date(END) },
);
const db = runtime.db.$client;

// Realistic interaction payloads: the sample texts with their real analyses.
const sampleRows = sampleInteractions().slice(0, 300);
const outputs = await runtime.analyzer.analyzeMany(
  sampleRows.map((r) => ({
    channel: r.channel as "chat",
    text: (r.text ?? r.body) as string | undefined,
    turns: r.turns as Array<{ speaker: "customer"; text: string }> | undefined,
  })),
);
const samples = sampleRows.map((r, i) => {
  const out = outputs[i];
  return {
    channel: String(r.channel),
    text: out.redaction.text,
    analysis: out.json,
    score: out.sentimentScore,
    risk: out.complaintRisk,
    flagged: out.flagged ? 1 : 0,
    needIds: out.needIds,
    topicIds: out.topicIds,
    channelData: JSON.stringify(r.session ?? {}),
  };
});
const eventTypes = [
  ["login", "app", "succeeded"],
  ["page_view", "balance", "viewed"],
  ["transaction", "card_payment", "succeeded"],
  ["transaction", "withdrawal", "failed"],
  ["error", "timeout", "shown"],
  ["service", "card_dispatched", "succeeded"],
];

// A few heavy customers (1%) hold a fifth of the records, as in real contact data.
const customerOf = () => (rand() < 0.2 ? Math.floor(rand() * (CUSTOMERS / 100)) : Math.floor(rand() * CUSTOMERS));
const cid = (n: number) => `cus_bench${String(n).padStart(7, "0")}`;

const t0 = performance.now();
async function insert(table: string, columns: string[], rows: unknown[][]) {
  const per = Math.floor(30_000 / columns.length);
  const tx = await db.transaction("write");
  try {
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      await tx.execute({
        sql: `INSERT INTO ${table} (${columns.join(",")}) VALUES ${part.map(() => `(${columns.map(() => "?").join(",")})`).join(",")}`,
        args: part.flat() as never,
      });
    }
    await tx.commit();
  } finally {
    tx.close();
  }
}
for (let c = 0; c < CUSTOMERS; c += 20_000) {
  const n = Math.min(20_000, CUSTOMERS - c);
  await insert(
    "customers",
    ["id", "display_name", "created_at", "updated_at"],
    Array.from({ length: n }, (_, i) => [cid(c + i), `Customer ${c + i}`, START, START]),
  );
  await insert(
    "identities",
    ["id", "customer_id", "kind", "value", "created_at"],
    Array.from({ length: n }, (_, i) => [
      `idn_bench${c + i}`,
      cid(c + i),
      "email",
      `customer${c + i}@bench.example`,
      START,
    ]),
  );
}
const CHUNK = 20_000;
for (let done = 0; done < RECORDS; done += CHUNK) {
  const ints: unknown[][] = [];
  const evs: unknown[][] = [];
  for (let k = 0; k < Math.min(CHUNK, RECORDS - done); k++) {
    const n = done + k;
    const at = START + Math.floor(rand() * (END - START));
    const customer = cid(customerOf());
    if (n % 5 < 3) {
      const s = samples[n % samples.length];
      ints.push([
        `int_bench${n}`,
        "bench",
        `i${n}`,
        s.channel,
        customer,
        at,
        at,
        null,
        s.text,
        null,
        s.channelData,
        null,
        s.analysis,
        runtime.analyzer.version,
        s.score,
        s.risk,
        s.flagged,
        s.needIds,
        s.topicIds,
        at,
      ]);
    } else {
      const [type, name, status] = eventTypes[n % eventTypes.length];
      evs.push([
        `evt_bench${n}`,
        "bench",
        `e${n}`,
        customer,
        type,
        name,
        status,
        type === "transaction" ? 50 + (n % 500) : null,
        type === "transaction" ? "USD" : null,
        at,
        at,
        null,
        at,
      ]);
    }
  }
  await insert(
    "interactions",
    [
      "id",
      "source",
      "external_id",
      "channel",
      "customer_id",
      "occurred_at",
      "received_at",
      "subject",
      "text",
      "turns",
      "channel_data",
      "metadata",
      "analysis",
      "analysis_version",
      "sentiment_score",
      "complaint_risk",
      "flagged",
      "need_ids",
      "topic_ids",
      "created_at",
    ],
    ints,
  );
  await insert(
    "journey_events",
    [
      "id",
      "source",
      "external_id",
      "customer_id",
      "type",
      "name",
      "status",
      "amount",
      "currency",
      "occurred_at",
      "received_at",
      "attributes",
      "created_at",
    ],
    evs,
  );
}
// Stored rows wait for the full-text index as ingested ones do; index them all before measuring.
await indexPendingInteractions(runtime.db);
await db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
await db.execute("ANALYZE");
const loadSecs = (performance.now() - t0) / 1000;
figures.push(["load, wall time per row", (loadSecs * 1e6) / RECORDS]);
console.log(
  `loaded ${RECORDS} interactions and events for ${CUSTOMERS} customers in ${loadSecs.toFixed(1)} s (${Math.round(RECORDS / loadSecs)} rows/s, FTS index included)`,
);

const targets: Target[] = [
  { label: "", app: createApp(runtime), key: (await createApiKey(runtime.db, "bench", ["read"])).key },
];
const replica = values.replica
  ? await startReplicaTarget({
      db,
      file: join(dir, "timeline.db"),
      protocol: values.protocol,
      clock: () => new Date(END),
    })
  : undefined;
if (replica) targets.push(replica.target);
const get = async (target: Target, path: string) => {
  const started = performance.now();
  const res = await target.app.request(path, { headers: { authorization: `Bearer ${target.key}` } });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return performance.now() - started;
};
async function measure(name: string, n: number, path: () => string, target?: number) {
  for (const t of targets) {
    for (let i = 0; i < 50; i++) await get(t, path()); // warm-up
    const lat: number[] = [];
    for (let i = 0; i < n; i++) lat.push(await get(t, path()));
    const s = summarise(lat);
    figures.push([`${name}${t.label} p50`, s.p50 * 1000], [`${name}${t.label} p99`, s.p99 * 1000]);
    console.log(
      `${name}${t.label}: ${n} requests, p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}${target ? ` (target p99 < ${target} ms)` : ""}`,
    );
  }
}
const anyCustomer = () => cid(customerOf());
const heavyCustomer = () => cid(Math.floor(rand() * (CUSTOMERS / 100)));
const words = ["refund", "card", "charged", "waiting", "account", "transfer", "login", "fees", "closing", "error"];
const hourWindow = () => {
  const from = START + Math.floor(rand() * (END - START - 3_600_000));
  return `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(from + 3_600_000).toISOString())}`;
};

await measure(
  "timeline page (50 items, any customer)",
  1000,
  () => `/v1/customers/${anyCustomer()}/timeline?limit=50`,
  10,
);
await measure(
  "timeline page (50 items, heavy customer)",
  1000,
  () => `/v1/customers/${heavyCustomer()}/timeline?limit=50&order=desc`,
  10,
);
await measure("profile", 500, () => `/v1/customers/${anyCustomer()}`);
await measure(
  "one-hour window search with text",
  500,
  () => `/v1/interactions?${hourWindow()}&q=${words[Math.floor(rand() * words.length)]}`,
  50,
);
await measure("one-hour window search, flagged only", 500, () => `/v1/interactions?${hourWindow()}&flagged=true`, 50);
await measure(
  "customer search by email",
  500,
  () => `/v1/customers?q=customer${Math.floor(rand() * CUSTOMERS)}@bench.example`,
);

await replica?.stop();
await runtime.close();
if (!values.keep) rmSync(dir, { recursive: true, force: true });
reportInVader(figures);
