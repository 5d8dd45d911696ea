// Earshot nodes over one libSQL primary (sqld) with a replica, against one embedded node, in one run on
// the same traffic: interactions/s, CPU per interaction of every process (nodes, primary, replica) and
// their sum, in µs and in VADER units measured in the same run.
//   SQLD_PATH=…/sqld npm run bench:cluster [-- --batches 32 --nodes 1,2 --protocol http]
// BENCH_PERF_DIR=/tmp/perf records the sqld processes with `perf record -g` during the measured round
// (perf_event_paranoid ≤ 2 allows it for one's own processes); BENCH_NODE_ARGS="--cpu-prof
// --cpu-prof-dir=…" profiles the nodes (bench/lib.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startSqld, type SqldServer } from "../test/support/sqld.js";
import {
  cpuTreeMs,
  cpuUntilQuiet,
  httpClient,
  socialOverCustomers,
  startBenchServer,
  type BenchServer,
} from "./lib.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "32" },
    "warm-up": { type: "string", default: "12" },
    concurrency: { type: "string", default: "4" },
    customers: { type: "string", default: "2000" },
    nodes: { type: "string", default: "1,2" },
    protocol: { type: "string", default: "http" },
  },
});
if (!process.env.SQLD_PATH) throw new Error("SQLD_PATH names the sqld binary (see .ci/run)");
if (!["http", "ws"].includes(values.protocol)) throw new Error("--protocol is http or ws");
const nodeCounts = values.nodes.split(",").map(Number);

const customers = Number(values.customers);
const nextItem = socialOverCustomers("cluster", customers);

interface Process {
  name: string;
  pid: number;
}

interface Round {
  stored: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** µs of CPU per stored interaction, per process name. */
  cpuUs: Map<string, number>;
}

/** Posts `count` batches of 500, `concurrency` in flight per node, round-robin over the nodes. */
async function round(nodes: BenchServer[], processes: Process[], count: number, perf?: string): Promise<Round> {
  const bodies = Array.from({ length: count }, () => JSON.stringify({ items: Array.from({ length: 500 }, nextItem) }));
  const latencies: number[] = [];
  let next = 0;
  let stored = 0;
  const recorders = perf ? processes.filter((p) => p.name !== "nodes").map((p) => record(p, perf)) : [];
  const before = processes.map((p) => cpuTreeMs(p.pid));
  const t0 = performance.now();
  await Promise.all(
    nodes.flatMap((node) =>
      Array.from({ length: Number(values.concurrency) }, async () => {
        const headers = { authorization: `Bearer ${node.key}`, "content-type": "application/json" };
        while (next < bodies.length) {
          const body = bodies[next++];
          const start = performance.now();
          const res = await httpClient(`${node.url}/v1/interactions/batch`, { method: "POST", headers, body });
          latencies.push(performance.now() - start);
          if (!res.ok) throw new Error(`batch failed: ${res.status} ${res.text}`);
          stored += (JSON.parse(res.text) as { created: number }).created;
        }
      }),
    ),
  );
  const secs = (performance.now() - t0) / 1000;
  for (const r of recorders) r.kill("SIGINT");
  const cpuUs = new Map<string, number>();
  for (const [i, p] of processes.entries()) {
    const spent = (await cpuUntilQuiet(p.pid)) - before[i];
    cpuUs.set(p.name, (cpuUs.get(p.name) ?? 0) + (spent * 1000) / stored);
  }
  const l = summarise(latencies);
  return { stored, perSecond: stored / secs, p50: l.p50, p99: l.p99, cpuUs };
}

/** `perf record -g` of one process into `dir`/<setup>-<name>.data, until killed with SIGINT. */
function record(p: Process, label: string): ChildProcess {
  const dir = process.env.BENCH_PERF_DIR ?? "";
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${label.replace(/[^a-z0-9]+/gi, "-")}-${p.name}.data`);
  return spawn("perf", ["record", "-F", "499", "-g", "-p", String(p.pid), "-o", out], { stdio: "ignore" });
}

interface Setup {
  label: string;
  nodes: BenchServer[];
  processes: Process[];
  servers: SqldServer[];
}

async function embedded(): Promise<Setup> {
  const node = await startBenchServer();
  return {
    label: "1 node, embedded file",
    nodes: [node],
    processes: [{ name: "nodes", pid: node.proc.pid! }],
    servers: [],
  };
}

async function overSqld(count: number): Promise<Setup> {
  const primary = await startSqld({ grpc: true });
  const replica = await startSqld({ primaryGrpcUrl: primary.grpcUrl });
  const ws = (url: string) => (values.protocol === "ws" ? url.replace(/^http/, "ws") : url);
  const nodes: BenchServer[] = [];
  // One after the other: the first migrates the primary.
  for (let i = 0; i < count; i++)
    nodes.push(await startBenchServer({ DATABASE_URL: ws(primary.url), DATABASE_REPLICA_URL: ws(replica.url) }));
  return {
    label: `${count} node${count > 1 ? "s" : ""}, sqld primary + replica (${values.protocol})`,
    nodes,
    processes: [
      ...nodes.map((node) => ({ name: "nodes", pid: node.proc.pid! })),
      { name: "primary", pid: primary.proc.pid! },
      { name: "replica", pid: replica.proc.pid! },
    ],
    servers: [replica, primary],
  };
}

const reportInVader = vaderYardstick();
const figures: Array<[string, number]> = [];
const rows: string[] = [];
const setups: Array<() => Promise<Setup>> = [embedded, ...nodeCounts.map((c) => () => overSqld(c))];
for (const start of setups) {
  const setup = await start();
  try {
    const warm = await round(setup.nodes, setup.processes, Number(values["warm-up"]));
    console.log(`${setup.label}: warm-up (not counted) ${warm.stored} at ${Math.round(warm.perSecond)}/s`);
    const perf = process.env.BENCH_PERF_DIR ? setup.label : undefined;
    const r = await round(setup.nodes, setup.processes, Number(values.batches), perf);
    const us = (name: string) => r.cpuUs.get(name) ?? 0;
    const sum = us("nodes") + us("primary") + us("replica");
    const cell = (name: string) => (r.cpuUs.has(name) ? `${Math.round(us(name))} µs` : "—");
    rows.push(
      `| ${setup.label} | ${Math.round(r.perSecond)} | ${cell("nodes")} | ${cell("primary")} | ${cell("replica")} | ${Math.round(sum)} µs | ${fmt(r.p50)} / ${fmt(r.p99)} |`,
    );
    for (const name of ["nodes", "primary", "replica"])
      if (r.cpuUs.has(name)) figures.push([`${setup.label}: ${name} CPU per interaction`, us(name)]);
    figures.push([`${setup.label}: all processes' CPU per interaction`, sum]);
    console.log(`${setup.label}: ${Math.round(r.perSecond)}/s`);
  } finally {
    for (const node of setup.nodes) await node.stop();
    for (const s of setup.servers) await s.stop();
  }
}
console.log(
  `\n${values.batches} batches of 500 social posts over ${customers} customers, ${values.concurrency} in flight per node, after ${values["warm-up"]} warm-up batches:`,
);
console.log(
  "| setup | interactions/s | Earshot CPU per interaction (all nodes) | primary | replica | sum | batch p50 / p99 |\n|---|---|---|---|---|---|---|",
);
for (const r of rows) console.log(r);
reportInVader(figures);
