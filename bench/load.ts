// A mixed load for a bounded time against `npm start` on 127.0.0.1: batched and single ingest, customer
// timeline reads and live SSE clients, all at once. Prints throughput, p50/p99 per route and the
// server's peak RSS (all its processes).
//   npm run bench:load [-- --seconds 30 --batch-clients 3 --single-rate 50 --read-rate 50 --sse 20 --workers 1]
// `--scenario hammer` measures instead single posts quiet and while clients hammer the widest allowed
// windows (bench/dashboard-hammer.ts):
//   npm run bench:load -- --scenario hammer [--seconds 15 --single-rate 50 --hammer-clients 4 --seed 20000]
import { parseArgs } from "node:util";
import { hammerScenario } from "./dashboard-hammer.js";
import { cpuTreeMs, cpuUntilQuiet, rssTree, spreadOverCustomers, startBenchServer } from "./lib.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "30" },
    "batch-clients": { type: "string", default: "3" },
    "batch-size": { type: "string", default: "500" },
    "single-rate": { type: "string", default: "50" },
    "read-rate": { type: "string", default: "50" },
    sse: { type: "string", default: "20" },
    workers: { type: "string", default: "1" },
    scenario: { type: "string", default: "mixed" },
    "hammer-clients": { type: "string", default: "4" },
    seed: { type: "string", default: "20000" },
  },
});
const seconds = Number(values.seconds);
// VADER-js is measured before the server starts and after it stops, so the unit is not slowed by the load.
const reportInVader = vaderYardstick();
if (values.scenario === "hammer") {
  reportInVader(
    await hammerScenario({
      seconds,
      singleRate: Number(values["single-rate"]),
      hammerClients: Number(values["hammer-clients"]),
      seed: Number(values.seed),
      workers: values.workers!,
    }),
  );
  process.exit(0);
}

const nextItem = spreadOverCustomers("load");

const server = await startBenchServer({ EARSHOT_WORKERS: values.workers! });
const headers = { authorization: `Bearer ${server.key}`, "content-type": "application/json" };
const latencies = new Map<string, number[]>();
const failures = new Map<string, number>();
const record = (route: string, ms: number, ok: boolean) => {
  if (!latencies.has(route)) latencies.set(route, []);
  latencies.get(route)!.push(ms);
  if (!ok) failures.set(route, (failures.get(route) ?? 0) + 1);
};

const cpuAtStart = cpuTreeMs(server.proc.pid!);
let peakRss = rssTree(server.proc.pid!);
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssTree(server.proc.pid!))), 100);
// Where the memory is, from the server's own /metrics (main thread's V8 heap and off-heap buffers):
// the rest of the RSS is the analysis worker's heap, SQLite's page caches and native code.
const peakMain = { heap: 0, used: 0, external: 0 };
const metricsTimer = setInterval(async () => {
  try {
    const text = await (await fetch(`${server.url}/metrics`, { headers })).text();
    const gauge = (name: string) => Number(new RegExp(`^earshot_${name} (\\S+)`, "m").exec(text)?.[1] ?? 0);
    peakMain.heap = Math.max(peakMain.heap, gauge("nodejs_heap_size_total_bytes"));
    peakMain.used = Math.max(peakMain.used, gauge("nodejs_heap_size_used_bytes"));
    peakMain.external = Math.max(peakMain.external, gauge("nodejs_external_memory_bytes"));
  } catch {
    /* the server is busy or stopping: the next sample will do */
  }
}, 1000);
const deadline = performance.now() + seconds * 1000;
let batchedStored = 0;
let singleStored = 0;
const customerIds: string[] = [];
const figures: Array<[string, number]> = [];

try {
  // Seed a few customers so timeline reads have something to read from the start.
  const seed = await fetch(`${server.url}/v1/interactions/batch`, {
    method: "POST",
    headers,
    body: JSON.stringify({ items: Array.from({ length: 200 }, nextItem) }),
  });
  for (const r of ((await seed.json()) as { results: Array<{ customerId?: string }> }).results)
    if (r.customerId) customerIds.push(r.customerId);

  const sseEvents = { n: 0 };
  const sse = await Promise.all(
    Array.from({ length: Number(values.sse) }, async () => {
      const controller = new AbortController();
      const res = await fetch(`${server.url}/v1/moments/stream`, { headers, signal: controller.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            sseEvents.n += (decoder.decode(value).match(/^event: /gm) ?? []).length;
          }
        } catch {
          /* aborted at the end */
        }
      })();
      return controller;
    }),
  );

  const batchClients = Array.from({ length: Number(values["batch-clients"]) }, async () => {
    while (performance.now() < deadline) {
      const body = JSON.stringify({ items: Array.from({ length: Number(values["batch-size"]) }, nextItem) });
      const t0 = performance.now();
      const res = await fetch(`${server.url}/v1/interactions/batch`, { method: "POST", headers, body });
      const json = (await res.json()) as { created?: number };
      record("POST /v1/interactions/batch", performance.now() - t0, res.ok);
      if (performance.now() <= deadline) batchedStored += json.created ?? 0;
    }
  });

  // Open-loop senders: requests leave on schedule whether or not earlier ones have been answered.
  const openLoop = (rate: number, send: () => Promise<void>) => {
    const inFlight: Promise<void>[] = [];
    const t0 = performance.now();
    return (async () => {
      for (let i = 0; ; i++) {
        const due = t0 + (i * 1000) / rate;
        if (due >= deadline) break;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        inFlight.push(send());
      }
      await Promise.all(inFlight);
    })();
  };
  const single = openLoop(Number(values["single-rate"]), async () => {
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/interactions`, {
      method: "POST",
      headers,
      body: JSON.stringify(nextItem()),
    });
    const json = (await res.json()) as { customerId?: string };
    record("POST /v1/interactions", performance.now() - t0, res.status === 201);
    if (res.status === 201) singleStored++;
    if (json.customerId && customerIds.length < 5000) customerIds.push(json.customerId);
  });
  const reads = openLoop(Number(values["read-rate"]), async () => {
    const id = customerIds[Math.floor(Math.random() * customerIds.length)];
    const t0 = performance.now();
    const res = await fetch(`${server.url}/v1/customers/${id}/timeline?order=desc&limit=50`, { headers });
    await res.arrayBuffer();
    record("GET /v1/customers/:id/timeline", performance.now() - t0, res.ok);
  });

  await Promise.all([...batchClients, single, reads]);
  for (const c of sse) c.abort();
  const cpuDuring = cpuTreeMs(server.proc.pid!) - cpuAtStart;
  const cpuAfter = (await cpuUntilQuiet(server.proc.pid!)) - cpuAtStart - cpuDuring;

  console.log(
    `mixed load for ${seconds} s against ${values.workers} server process(es), analysis and moment scoring on:`,
  );
  console.log(
    `  batched ingest: ${batchedStored} interactions = ${Math.round(batchedStored / seconds)} interactions/s (${values["batch-clients"]} clients, batches of ${values["batch-size"]}); target ≥ 10,000/s`,
  );
  console.log(`  single ingest: ${singleStored} interactions at ${values["single-rate"]} req/s offered`);
  for (const [route, ms] of latencies) {
    const s = summarise(ms);
    console.log(
      `  ${route}: ${ms.length} requests, ${failures.get(route) ?? 0} failed; p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}`,
    );
    figures.push([`${route} p50`, s.p50 * 1000], [`${route} p99`, s.p99 * 1000]);
  }
  const stored = batchedStored + singleStored;
  if (batchedStored > 0)
    figures.unshift(["batched ingest, wall time per interaction", (seconds * 1e6) / batchedStored]);
  if (stored > 0)
    figures.unshift([
      "server CPU per interaction stored (during and after the run)",
      ((cpuDuring + cpuAfter) * 1000) / stored,
    ]);
  console.log(`  SSE: ${sse.length} clients received ${sseEvents.n} moment events`);
  console.log(
    `  server CPU: ${(cpuDuring / 1000).toFixed(1)} s during the run, ${(cpuAfter / 1000).toFixed(1)} s after it (work it had deferred)`,
  );
  console.log(
    `  peak RSS of the server (all processes and threads): ${(peakRss / 1024 / 1024).toFixed(0)} MB; target < 300 MB`,
  );
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  if (values.workers === "1")
    console.log(
      `  of which, at their peaks: main thread's V8 heap ${mb(peakMain.heap)} (${mb(peakMain.used)} in use), its external memory ${mb(peakMain.external)}`,
    );
} finally {
  clearInterval(rssTimer);
  clearInterval(metricsTimer);
  await server.stop();
}
reportInVader(figures);
