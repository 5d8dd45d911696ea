// Batch ingest through the embedded database and through a libSQL server (sqld), side by side in one
// run on the same traffic: interactions/s and CPU per interaction of Earshot and of sqld.
//   SQLD_PATH=…/sqld npm run bench:remote [-- --batches 40 --urls file,http,ws]
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles each Earshot server under the load.
import { parseArgs } from "node:util";
import { cpuTreeMs, cpuUntilQuiet, httpClient, socialOverCustomers, startBenchServer, startSqldServer } from "./lib.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    batches: { type: "string", default: "40" },
    "warm-up": { type: "string", default: "16" },
    concurrency: { type: "string", default: "4" },
    customers: { type: "string", default: "2000" },
    urls: { type: "string", default: "file,http,ws" },
  },
});
const kinds = values.urls.split(",");
for (const k of kinds)
  if (!["file", "http", "ws"].includes(k)) throw new Error(`--urls takes file, http and ws, not ${k}`);
if (kinds.some((k) => k !== "file") && !process.env.SQLD_PATH)
  throw new Error("SQLD_PATH names the sqld binary (see .ci/run)");

const customers = Number(values.customers);
const nextItem = socialOverCustomers("remote", customers);

interface Round {
  stored: number;
  perSecond: number;
  p50: number;
  p99: number;
  earshotUs: number;
  sqldUs: number;
}

/** Posts `count` batches of 500, `concurrency` in flight; the CPU both processes spent, with the work deferred past the last answer. */
async function round(
  url: string,
  key: string,
  earshotPid: number,
  sqldPid: number | undefined,
  count: number,
): Promise<Round> {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const bodies = Array.from({ length: count }, () => JSON.stringify({ items: Array.from({ length: 500 }, nextItem) }));
  const latencies: number[] = [];
  let next = 0;
  let stored = 0;
  const e0 = cpuTreeMs(earshotPid);
  const s0 = sqldPid ? cpuTreeMs(sqldPid) : 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Number(values.concurrency) }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const start = performance.now();
        const res = await httpClient(`${url}/v1/interactions/batch`, { method: "POST", headers, body });
        latencies.push(performance.now() - start);
        if (!res.ok) throw new Error(`batch failed: ${res.status} ${res.text}`);
        stored += (JSON.parse(res.text) as { created: number }).created;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const e1 = await cpuUntilQuiet(earshotPid);
  const s1 = sqldPid ? await cpuUntilQuiet(sqldPid) : 0;
  const l = summarise(latencies);
  return {
    stored,
    perSecond: stored / secs,
    p50: l.p50,
    p99: l.p99,
    earshotUs: ((e1 - e0) * 1000) / stored,
    sqldUs: ((s1 - s0) * 1000) / stored,
  };
}

const reportInVader = vaderYardstick();
const figures: Array<[string, number]> = [];
const rows: string[] = [];
for (const kind of kinds) {
  const sqld = kind === "file" ? undefined : await startSqldServer();
  const server = await startBenchServer(
    sqld ? { DATABASE_URL: kind === "ws" ? sqld.url.replace(/^http/, "ws") : sqld.url } : {},
  );
  try {
    const warm = await round(server.url, server.key, server.proc.pid!, sqld?.proc.pid, Number(values["warm-up"]));
    console.log(`${kind}: warm-up (not counted) ${warm.stored} at ${Math.round(warm.perSecond)}/s`);
    const r = await round(server.url, server.key, server.proc.pid!, sqld?.proc.pid, Number(values.batches));
    rows.push(
      `| \`${kind}:\` | ${Math.round(r.perSecond)} | ${Math.round(r.earshotUs)} µs | ${sqld ? `${Math.round(r.sqldUs)} µs` : "—"} | ${Math.round(r.earshotUs + r.sqldUs)} µs | ${fmt(r.p50)} / ${fmt(r.p99)} |`,
    );
    figures.push([`${kind}: Earshot CPU per interaction`, r.earshotUs]);
    if (sqld)
      figures.push(
        [`${kind}: sqld CPU per interaction`, r.sqldUs],
        [`${kind}: both processes' CPU per interaction`, r.earshotUs + r.sqldUs],
      );
  } finally {
    await server.stop();
    await sqld?.stop();
  }
}
console.log(
  `\n${values.batches} batches of 500 social posts over ${customers} customers, ${values.concurrency} in flight, after ${values["warm-up"]} warm-up batches:`,
);
console.log(
  "| DATABASE_URL | interactions/s | Earshot CPU per interaction | sqld CPU per interaction | sum | batch p50 / p99 |\n|---|---|---|---|---|---|",
);
for (const r of rows) console.log(r);
reportInVader(figures);
