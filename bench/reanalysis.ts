// Re-analysis throughput, and what a running re-analysis job costs live ingest, over real HTTP on
// 127.0.0.1 against `npm start`:
//   npm run bench:reanalysis [-- --count 100000 --rate 200 --seconds 30 --max-seconds 900]
// 1. stores `count` interactions (batches of 500), stops the server and marks every stored analysis
//    as made by an older version, so the job rewrites every record and re-scores its moments;
// 2. restarts the server on that file and posts single interactions at `rate` per second (open
//    loop) for `seconds` without a job, then while a job re-analyses everything, then again without:
//    the live p50 and p99 side by side, and the job's rate.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createClient } from "@libsql/client";
import { cpuUntilQuiet, httpClient as send, spreadOverCustomers, startBenchServer, type BenchServer } from "./lib.js";
import { fmt, summarise, vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    rate: { type: "string", default: "200" },
    seconds: { type: "string", default: "30" },
    "warm-up": { type: "string", default: "10" },
    "max-seconds": { type: "string", default: "900" },
  },
});
const count = Number(values.count);
const rate = Number(values.rate);
const reportInVader = vaderYardstick();
const dir = mkdtempSync(join(tmpdir(), "earshot-bench-reanalysis-"));
const url = `file:${join(dir, "reanalysis.db")}`;
const nextItem = spreadOverCustomers("reanalysis");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const headersOf = (s: BenchServer) => ({ authorization: `Bearer ${s.key}`, "content-type": "application/json" });

/** Stores `count` interactions in batches of 500, four in flight, and waits for the work deferred past the answers. */
async function seed(server: BenchServer) {
  const t0 = performance.now();
  let sent = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (sent < count) {
        const n = Math.min(500, count - sent);
        sent += n;
        const body = JSON.stringify({ items: Array.from({ length: n }, nextItem) });
        const res = await send(`${server.url}/v1/interactions/batch`, {
          method: "POST",
          headers: headersOf(server),
          body,
        });
        if (!res.ok) throw new Error(`batch failed: ${res.status} ${res.text}`);
      }
    }),
  );
  await cpuUntilQuiet(server.proc.pid!);
  console.log(`stored ${count} interactions in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

/**
 * Posts single interactions at `rate` per second (open loop: a late answer does not delay the next
 * post) until `until()` says stop, checked at every post, or `seconds` have passed.
 */
async function live(server: BenchServer, seconds: number, until: () => boolean = () => false) {
  const latencies: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; ; i++) {
    const due = t0 + (i * 1000) / rate;
    if (due - t0 > seconds * 1000 || until()) break;
    await sleep(Math.max(0, due - performance.now()));
    const body = JSON.stringify(nextItem());
    inFlight.push(
      (async () => {
        const start = performance.now();
        try {
          const res = await send(`${server.url}/v1/interactions`, { method: "POST", headers: headersOf(server), body });
          if (res.status !== 201) failures++;
        } catch {
          failures++; // a reset connection counts as a failed post; its time still counts
        }
        latencies.push(performance.now() - start);
      })(),
    );
  }
  await Promise.all(inFlight);
  return { ...summarise(latencies), n: latencies.length, failures, secs: (performance.now() - t0) / 1000 };
}

type Round = Awaited<ReturnType<typeof live>>;
const line = (label: string, r: Round) =>
  `${label.padEnd(34)} ${String(r.n).padStart(6)} posts  p50 ${fmt(r.p50).padStart(9)}  p99 ${fmt(r.p99).padStart(9)}  max ${fmt(r.max).padStart(9)}  ${r.failures} failed`;

try {
  const first = await startBenchServer({ DATABASE_URL: url });
  try {
    await seed(first);
  } finally {
    await first.stop();
  }
  // As if every record had been stored by an older analysis: the job rewrites each one.
  const db = createClient({ url });
  await db.execute("UPDATE interactions SET analysis_version = 'bench-older'");
  db.close();

  const server = await startBenchServer({ DATABASE_URL: url });
  try {
    const warm = await live(server, Number(values["warm-up"]));
    console.log(line(`warm-up (not counted)`, warm));
    const before = await live(server, Number(values.seconds));
    console.log(line("live ingest, no job", before));

    const started = await send(`${server.url}/v1/jobs/reanalysis`, {
      method: "POST",
      headers: headersOf(server),
      body: "{}",
    });
    if (started.status !== 202) throw new Error(`job refused: ${started.status} ${started.text}`);
    const jobId = (JSON.parse(started.text) as { id: string }).id;
    let job = JSON.parse(started.text) as {
      status: string;
      progress: { processed: number; total: number; perSecond: number | null };
      summary: { changed: number; momentsRescored: number };
    };
    let polling = true;
    const poll = (async () => {
      while (polling && job.status !== "done" && job.status !== "failed") {
        await sleep(1000);
        try {
          const res = await send(`${server.url}/v1/jobs/${jobId}`, { headers: headersOf(server) });
          if (res.ok) job = JSON.parse(res.text);
        } catch {
          /* asked again a second later */
        }
      }
    })();
    const during = await live(
      server,
      Number(values["max-seconds"]),
      () => job.status === "done" || job.status === "failed",
    );
    polling = false;
    await poll;
    console.log(line("live ingest, re-analysis running", during));
    const after = await live(server, Number(values.seconds));
    console.log(line("live ingest, no job (after it)", after));

    const { processed, total, perSecond } = job.progress;
    console.log(
      `re-analysis: ${job.status}, ${processed} of ${total} interactions in ${during.secs.toFixed(0)} s = ${perSecond} interactions/s while live ingest ran at ${rate}/s; ${job.summary.changed} rewritten, ${job.summary.momentsRescored} moments re-scored`,
    );
    const base = Math.max(before.p99, after.p99);
    const ratio = during.p99 / base;
    console.log(
      `live p99 with the job ${fmt(during.p99)} against ${fmt(base)} without (the worse of the two rounds): ×${ratio.toFixed(2)} — ${ratio <= 2 ? "within" : "over"} the target of at most ×2`,
    );
    reportInVader([
      ["live single-post p99, no job", base * 1000],
      ["live single-post p99, re-analysis running", during.p99 * 1000],
      ["re-analysis, wall time per interaction", perSecond ? 1e6 / perSecond : Number.NaN],
    ]);
  } finally {
    await server.stop();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
