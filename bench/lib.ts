import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summarise(latencies: number[]) {
  const s = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] };
}

export const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

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
  const key = "bench-admin-key-0123456789abcdefghij";
  const port = 20000 + Math.floor(Math.random() * 20000);
  // The V8 flags of `npm start` (its heap limits), then BENCH_NODE_ARGS: e.g.
  // "--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server under the bench's load.
  const nodeArgs = [...startFlags(), ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean)];
  const proc = spawn(process.execPath, [...nodeArgs, join(root, "build/src/index.js")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, "bench.db")}`, EARSHOT_ADMIN_KEY: key, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${url}/readyz`)).ok) break;
    } catch {
      /* not listening yet */
    }
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
    return { ...item, externalId: `${prefix}-${i}`, customer: { customerId: `${prefix}-cus-${i % customers}` }, ...(item.channel === "social" ? { authorHandle: undefined } : {}) };
  };
}
