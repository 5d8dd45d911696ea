// Ingest throughput and latency over real HTTP on 127.0.0.1, against `npm start` on a fresh database.
//   npm run bench:ingest [-- --batches 60 --rate 200 --seconds 10 --client http|fetch]
import { parseArgs } from "node:util";
import { availableParallelism } from "node:os";
import {
  cpuTreeMs,
  cpuUntilQuiet,
  fetchClient,
  httpClient,
  ownCpuMs,
  spreadOverCustomers,
  startBenchServer,
  mainThreadCpuMs,
} from "./lib.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "60" },
    "single-only": { type: "boolean", default: false },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "10" },
    concurrency: { type: "string", default: "4" },
    "warm-up": { type: "string", default: "20" },
    "single-warm-up": { type: "string", default: "10" },
    client: { type: "string", default: "http" },
  },
});
if (values.client !== "http" && values.client !== "fetch")
  throw new Error(`--client is http or fetch, not ${values.client}`);
const send = values.client === "fetch" ? fetchClient : httpClient;
const nextItem = spreadOverCustomers("bench");
const reportInVader = vaderYardstick();
const figures: Array<[label: string, us: number]> = [];

const server = await startBenchServer();
const headers = { authorization: `Bearer ${server.key}`, "content-type": "application/json" };

/** Posts `count` batches of 500 fresh interactions, `concurrency` at a time; what it took. */
async function batchRound(count: number) {
  const bodies = Array.from({ length: count }, () => JSON.stringify({ items: Array.from({ length: 500 }, nextItem) }));
  const latencies: number[] = [];
  let next = 0;
  let stored = 0;
  const pid = server.proc.pid!;
  const serverCpu0 = cpuTreeMs(pid);
  const main0 = mainThreadCpuMs(pid);
  const clientCpu0 = ownCpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(values.concurrency) }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const t0 = performance.now();
        const res = await send(`${server.url}/v1/interactions/batch`, { method: "POST", headers, body });
        latencies.push(performance.now() - t0);
        if (!res.ok) throw new Error(`batch failed: ${res.status} ${res.text}`);
        stored += (JSON.parse(res.text) as { created: number }).created;
      }
    }),
  );
  const secs = (performance.now() - started) / 1000;
  const perInteraction = (ms: number) => (ms * 1000) / stored;
  const serverCpu1 = cpuTreeMs(pid);
  const main1 = mainThreadCpuMs(pid);
  const clientCpu1 = ownCpuMs();
  // Work the server still does for these batches after answering them (anything it defers) is part of
  // their cost: a rate that leaves work behind is not one it can sustain.
  const leftMs = (await cpuUntilQuiet(pid)) - serverCpu1;
  return {
    stored,
    secs,
    perSecond: stored / secs,
    latency: summarise(latencies),
    serverUs: perInteraction(serverCpu1 - serverCpu0),
    mainUs: perInteraction(main1 - main0),
    clientUs: perInteraction(clientCpu1 - clientCpu0),
    leftUs: perInteraction(leftMs),
  };
}

try {
  // 1. Batches of 500, a few in flight at once, as a CRM export or chat system would post them. A first
  // round warms the fresh server up (V8 compiles its hot paths, SQLite's caches fill) and is reported
  // apart; the measured round is what a running service sustains.
  const batches = values["single-only"] ? 0 : Number(values.batches);
  if (batches > 0) {
    const cold = await batchRound(Math.min(batches, Number(values["warm-up"])));
    console.log(
      `warm-up round (fresh server, not counted): ${cold.stored} interactions at ${Math.round(cold.perSecond)}/s`,
    );
    const r = await batchRound(batches);
    console.log(
      `batch ingest: ${r.stored} interactions in ${r.secs.toFixed(1)} s = ${Math.round(r.perSecond)} interactions/s durable (batches of 500, ${values.concurrency} in flight); batch latency p50 ${fmt(r.latency.p50)}, p99 ${fmt(r.latency.p99)}`,
    );
    // CPU per interaction says what the machine can do at best: the server's threads and this client
    // share the same cores.
    const cores = availableParallelism();
    figures.push(
      ["batch ingest, wall time per interaction", 1e6 / r.perSecond],
      ["batch ingest, server CPU per interaction (with the work after the last answer)", r.serverUs + r.leftUs],
    );
    console.log(
      `  CPU per interaction: server ${r.serverUs.toFixed(0)} µs (main thread ${r.mainUs.toFixed(0)}, other threads ${(r.serverUs - r.mainUs).toFixed(0)}: analysis, checkpoints, V8's GC and compiler) + ${r.leftUs.toFixed(0)} µs after the last answer, this client ${r.clientUs.toFixed(0)} µs; ${cores} cores → at most ${Math.round((cores * 1e6) / (r.serverUs + r.leftUs + r.clientUs))} interactions/s with both on this machine`,
    );
  }
} finally {
  await server.stop();
}

// 2. Single interactions at a fixed arrival rate (open loop: late answers do not slow the sender), on
// a fresh server: right after the batch phase, tens of thousands of records are still being scored
// for complaint-risk moments, which is a backlog, not the steady state this phase measures.
const fresh = await startBenchServer();
const freshHeaders = { authorization: `Bearer ${fresh.key}`, "content-type": "application/json" };
try {
  const rate = Number(values.rate);
  /** Posts one interaction at a time at `rate` per second for `seconds` (open loop: late answers do not slow the sender). */
  const singleRound = async (seconds: number) => {
    const total = Math.round(rate * seconds);
    const latencies: number[] = [];
    const failures: number[] = [];
    const clientCpu0 = ownCpuMs();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const due = t0 + (i * 1000) / rate;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const body = JSON.stringify(nextItem());
        const start = performance.now();
        const res = await send(`${fresh.url}/v1/interactions`, { method: "POST", headers: freshHeaders, body });
        latencies.push(performance.now() - start);
        if (res.status !== 201) failures.push(res.status);
      }),
    );
    return {
      ...summarise(latencies),
      count: total,
      failures: failures.length,
      clientUs: ((ownCpuMs() - clientCpu0) * 1000) / total,
    };
  };
  // A fresh process takes ~10 s at this rate to compile its hot paths (the first seconds' CPU per
  // request is ~40% higher), so that stretch is reported apart from the steady state measured after it.
  const warmSeconds = Number(values["single-warm-up"]);
  if (warmSeconds > 0) {
    const w = await singleRound(warmSeconds);
    console.log(
      `single ingest, first ${warmSeconds} s of a fresh server (not counted): p50 ${fmt(w.p50)}, p99 ${fmt(w.p99)}, ${w.failures} not 201`,
    );
  }
  const s = await singleRound(Number(values.seconds));
  figures.push(
    ["single ingest latency p50", s.p50 * 1000],
    ["single ingest latency p99", s.p99 * 1000],
    ["single ingest, this client's CPU per request", s.clientUs],
  );
  console.log(
    `single ingest at ${rate} req/s for ${values.seconds} s: ${s.count} requests, ${s.failures} not 201; latency p50 ${fmt(s.p50)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)}; this client ${s.clientUs.toFixed(0)} µs of CPU per request (${values.client})`,
  );
} finally {
  await fresh.stop();
}
reportInVader(figures);
