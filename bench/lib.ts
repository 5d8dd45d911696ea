// What the benches share: starting the server as `npm start` does, clients that post to it, and the
// CPU and memory of its processes read from Linux /proc.
import { randomBytes } from "node:crypto";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../test/support/sqld.js";

export const root = fileURLToPath(new URL("..", import.meta.url));

/** The pids of a process and all its descendants (cluster workers), from Linux /proc; [] once it ended. */
function processTree(pid: number): number[] {
  const out = [pid];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const c of children ? children.split(" ") : []) out.push(...processTree(Number(c)));
    }
  } catch {
    return [];
  }
  return out;
}

/** Resident memory of a process and all its descendants, in bytes (Linux /proc). */
export function rssTree(pid: number): number {
  let total = 0;
  for (const p of processTree(pid)) {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0) * 1024;
    } catch {
      /* the process ended */
    }
  }
  return total;
}

/** Clock ticks (user + system) in a /proc stat line: the 12th and 13th fields after the command name. */
function statTicks(path: string): number {
  const fields = readFileSync(path, "utf8").split(") ")[1].split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/**
 * CPU time of one process's main thread (the event loop: HTTP, validation, SQLite, moment scoring), in
 * ms; the rest of its CPU is analysis workers, the checkpoint thread and V8's GC and compiler threads.
 * Linux /proc: the main thread's task id is the pid.
 */
export function mainThreadCpuMs(pid: number): number {
  try {
    return statTicks(`/proc/${pid}/task/${pid}/stat`) * 10;
  } catch {
    return 0; // the process ended
  }
}

/**
 * The CPU time of a process and its descendants once they have gone quiet (under 5% of a core for half
 * a second; at most 30 s): what a bench round cost includes the work the server deferred past its
 * answers, or a rate that leaves work behind passes for one it can sustain.
 */
export async function cpuUntilQuiet(pid: number): Promise<number> {
  let last = cpuTreeMs(pid);
  for (let waited = 0; waited < 30_000; waited += 500) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuTreeMs(pid);
    if (now - last < 25) return now;
    last = now;
  }
  return last;
}

/** CPU time (user + system, every thread) of a process and all its descendants, in ms (Linux /proc). */
export function cpuTreeMs(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      ticks += statTicks(`/proc/${p}/stat`);
    } catch {
      /* the process ended */
    }
  }
  // Linux reports clock ticks of 1/100 s (USER_HZ) to user space.
  return ticks * 10;
}

/** CPU time of this process (every thread), in ms. */
export const ownCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** An answer as the benches read it: the status and the whole body. */
export interface BenchResponse {
  status: number;
  ok: boolean;
  text: string;
}

/** Sends one request and reads the whole answer. */
export type BenchClient = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<BenchResponse>;

// Idle connections are closed here after 4 s, before the server's keep-alive timeout (Node's default,
// 5 s) closes them: a request sent on a connection the server is closing at that moment fails with
// ECONNRESET. Free connections are used in turn (fifo), so a pool grown in a burst stays open.
const keptAlive = new http.Agent({ keepAlive: true, timeout: 4000, scheduling: "fifo" });

/**
 * The client `bench:ingest` and `bench:alerts` post with: node:http over kept-alive connections. The
 * bench runs on the server's two cores, so whatever CPU the client spends is taken from the server:
 * `fetch` (undici) spent ~1.8 ms of CPU per single post here against ~0.75–0.9 ms for node:http.
 *
 * `bench:load` keeps `fetch`: its open-loop clients meet an event loop held by batch transactions.
 * There node:http gave a request that found every connection busy a new connection of its own, and
 * Node accepts one connection per event-loop turn, so such requests waited in the kernel's queue for
 * seconds (p99 5–17 s); fetch's pool hands a waiting request the first connection that frees up
 * (p99 1.1–1.7 s, with as many connections opened).
 */
export const httpClient: BenchClient = (url, init = {}) =>
  new Promise((resolve, reject) => {
    const { body } = init;
    const headers =
      body === undefined ? init.headers : { ...init.headers, "content-length": String(Buffer.byteLength(body)) };
    const req = http.request(url, { method: init.method ?? "GET", headers, agent: keptAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });

/** The same through `fetch`, which the benches used before; `bench:ingest -- --client fetch` compares the two. */
export const fetchClient: BenchClient = async (url, init) => {
  const res = await fetch(url, init);
  return { status: res.status, ok: res.ok, text: await res.text() };
};

export interface BenchServer {
  url: string;
  key: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** The node flags in package.json's `start` script, so benches start the server exactly as production does. */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts.start;
  return start.split(/\s+/).filter((a) => a.startsWith("--"));
}

let built = false;

/**
 * Builds what `npm start` runs (esbuild output in build/): benches measure the code production runs,
 * not tsx's on-the-fly transform (it keeps function names with a wrapper call per closure created,
 * which cost worker threads a third of their throughput).
 */
export function buildOnce(): void {
  if (built) return;
  execFileSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  built = true;
}

/** Starts what `npm start` starts (the compiled build) on a free port over a fresh database file. */
export async function startBenchServer(env: Record<string, string> = {}): Promise<BenchServer> {
  buildOnce();
  if (process.env.ANALYSIS_WORKERS) env = { ANALYSIS_WORKERS: process.env.ANALYSIS_WORKERS, ...env };
  const dir = mkdtempSync(join(tmpdir(), "earshot-bench-"));
  const key = `es_${randomBytes(32).toString("base64url")}`;
  // A port the kernel has just handed out, not a random one: several servers of one run (nodes,
  // primaries, replicas) once drew the same port.
  const port = await freePort();
  // The V8 flags of `npm start` (its heap limits), then BENCH_NODE_ARGS: e.g.
  // "--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under the bench's load.
  const nodeArgs = [...startFlags(), ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean)];
  const proc = spawn(process.execPath, [...nodeArgs, join(root, "build/src/index.js")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${join(dir, "bench.db")}`,
      EARSHOT_ADMIN_KEY: key,
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  let stopping = false;
  proc.once("exit", (code, signal) => {
    if (!stopping) console.error(`the bench server exited mid-run: code ${code}, signal ${signal}`);
  });
  const url = `http://127.0.0.1:${port}`;
  // A busy shared machine has taken over 20 s to start a server; one that never answers fails the run here.
  for (const deadline = Date.now() + 90_000; ; ) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error("the bench server did not become ready in 90 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    key,
    proc,
    // The database goes with the server: its dirty pages would otherwise still be written back to
    // disk while the next measurement runs (and the files fill /tmp).
    stop: () =>
      new Promise((resolve) => {
        proc.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        stopping = true;
        proc.kill("SIGTERM");
      }),
  };
}

/** The sample interactions, as a realistic mixed corpus. */
export function sampleInteractions(): Array<Record<string, unknown>> {
  return readFileSync(join(root, "sample-data/interactions.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/**
 * An endless supply of the sample texts with fresh external ids, spread over `customers` customers as
 * production traffic is (the sample data's 60 customers would each get hundreds of contacts inside
 * the 72-hour moment window).
 */
export function spreadOverCustomers(prefix: string, customers = 10_000): () => Record<string, unknown> {
  const corpus = sampleInteractions();
  let n = 0;
  return () => {
    const item = corpus[n % corpus.length];
    const i = ++n;
    return {
      ...item,
      externalId: `${prefix}-${i}`,
      customer: { customerId: `${prefix}-cus-${i % customers}` },
      ...(item.channel === "social" ? { authorHandle: undefined } : {}),
    };
  };
}

export interface SqldBenchServer {
  /** http://127.0.0.1:port; the same port speaks Hrana over WebSocket (ws://). */
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the libSQL server at SQLD_PATH (`.ci/run` fetches it) on a free port over a fresh data directory. */
export async function startSqldServer(): Promise<SqldBenchServer> {
  const bin = process.env.SQLD_PATH;
  if (!bin) throw new Error("SQLD_PATH names the sqld binary");
  const dir = mkdtempSync(join(tmpdir(), "earshot-bench-sqld-"));
  // A port the kernel has just handed out, not a random one: several servers of one run (nodes,
  // primaries, replicas) once drew the same port.
  const port = await freePort();
  const proc = spawn(bin, ["--http-listen-addr", `127.0.0.1:${port}`, "--db-path", join(dir, "data.sqld")], {
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 100) throw new Error("sqld did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    stop: () =>
      new Promise((resolve) => {
        proc.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}

/**
 * Social posts (the corpus's complaint-heavy channel) over a fixed set of customers: after a warm-up
 * every customer is known, so a measured round links records, never creates customers.
 */
export function socialOverCustomers(prefix: string, customers: number): () => Record<string, unknown> {
  const social = sampleInteractions().filter((i) => i.channel === "social");
  let n = 0;
  return () => {
    const i = ++n;
    return {
      ...social[i % social.length],
      authorHandle: undefined,
      externalId: `${prefix}-${i}`,
      customer: { customerId: `${prefix}-cus-${i % customers}` },
    };
  };
}
