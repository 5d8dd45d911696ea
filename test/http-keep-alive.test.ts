import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";
import { startServer, type StartedServer } from "../src/server.js";

let server: StartedServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

async function start(env: Record<string, string>) {
  dir = mkdtempSync(join(tmpdir(), "earshot-keepalive-"));
  server = await startServer(
    loadConfig({
      DATABASE_URL: `file:${join(dir, "k.db")}`,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ANALYSIS_WORKERS: "0",
      ...env,
    }),
  );
  return server.url;
}

/**
 * One GET on a raw connection (HTTP/1.1 keeps it alive); resolves with the connection once the answer
 * has arrived. Raw, because Node's own client closes idle connections early on the server's hint.
 */
function getOnKeptAliveSocket(url: string) {
  const { hostname, port } = new URL(url);
  return new Promise<net.Socket>((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () =>
      socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`),
    );
    let answer = "";
    socket.on("data", (d: Buffer) => {
      answer += d.toString();
      if (/\r\n\r\n[\s\S]*\}/.test(answer)) resolve(socket);
    });
    socket.on("error", reject);
  });
}

/** Whether the server closes an idle kept-alive connection within `ms`. */
function closedWithin(socket: net.Socket, ms: number) {
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe("HTTP_KEEP_ALIVE_TIMEOUT_MS", () => {
  it("keeps an idle connection open for as long as it says, then closes it", async () => {
    const url = await start({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "1500" });
    const socket = await getOnKeptAliveSocket(url);
    expect(await closedWithin(socket, 1000)).toBe(false);
    expect(await closedWithin(socket, 2000)).toBe(true);
  });

  it("defaults to Node's own 5 s", () => {
    expect(loadConfig({}).HTTP_KEEP_ALIVE_TIMEOUT_MS).toBe(5000);
  });

  it("refuses a value outside 1 s to 2 min at start-up, naming the variable", () => {
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "500" })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "500" })).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS/);
    expect(() => loadConfig({ HTTP_KEEP_ALIVE_TIMEOUT_MS: "86400000" })).toThrow(/HTTP_KEEP_ALIVE_TIMEOUT_MS/);
  });
});
