import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/lib/logger.js";
import { startServer, type StartedServer } from "../../src/server.js";
import { createApiKey } from "../../src/services/api-keys.js";
import { chatInput } from "../support/factories.js";

// A real server on 127.0.0.1 with short request timeouts, its log lines captured, driven by raw
// sockets that behave as a broken or slow client does.
const dir = mkdtempSync(join(tmpdir(), "earshot-slow-"));
const logs: Array<Record<string, unknown>> = [];
let server: StartedServer;
let key: string;
let port: number;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split("\n")) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, "slow.db")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    ANALYSIS_WORKERS: "0",
    DASHBOARD_WORKER: "false",
    DATABASE_CHECKPOINT_INTERVAL_MS: "0",
    HTTP_HEADERS_TIMEOUT_MS: "2000",
    HTTP_REQUEST_TIMEOUT_MS: "3000",
    HTTP_KEEP_ALIVE_TIMEOUT_MS: "1000",
  });
  server = await startServer(config, { logger: createLogger("info", sink) });
  key = (await createApiKey(server.runtime.db, "uploader", ["ingest"])).key;
  port = Number(new URL(server.url).port);
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const open = () =>
  new Promise<Socket>((resolve, reject) => {
    const s = connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
const head = (length: number) =>
  `POST /v1/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
/** What the server sends until it closes the connection, and when it closed it. */
const untilClosed = (s: Socket) =>
  new Promise<{ text: string; at: number }>((resolve) => {
    let text = "";
    s.on("data", (d) => (text += d));
    s.on("error", () => {});
    s.on("close", () => resolve({ text, at: Date.now() }));
  });
const metric = async (pattern: RegExp) => {
  const text = await server.runtime.metrics.registry.metrics();
  return text.split("\n").filter((l) => pattern.test(l));
};

describe("a client that aborts an upload", () => {
  it("is logged as an aborted request, not an error, and never counted as a 500", async () => {
    const body = JSON.stringify(chatInput());
    const s = await open();
    s.write(head(body.length) + body.slice(0, Math.floor(body.length / 2)));
    await new Promise((r) => setTimeout(r, 200));
    s.destroy();
    await expect
      .poll(() => logs.some((l) => l.msg === "request" && l.route === "/v1/interactions"), { timeout: 5000 })
      .toBe(true);
    const line = logs.find((l) => l.msg === "request" && l.route === "/v1/interactions")!;
    expect(line).toMatchObject({ status: 499, aborted: true });
    expect(logs.filter((l) => l.level === "error" || (l.level as number) >= 50)).toEqual([]);
    expect(await metric(/^earshot_http_requests_total\{.*status="500"/)).toEqual([]);
    expect(await metric(/^earshot_http_requests_total\{.*route="\/v1\/interactions".*status="499"/)).toHaveLength(1);
  });
});

describe("request timeouts", () => {
  it("ends a connection that sends its headers too slowly (HTTP_HEADERS_TIMEOUT_MS)", async () => {
    const s = await open();
    const closed = untilClosed(s);
    const started = Date.now();
    s.write("POST /v1/interactions HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    const trickle = setInterval(() => s.write("X-Slow: 1\r\n"), 300);
    const { text, at } = await closed;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(at - started).toBeGreaterThanOrEqual(1900);
    expect(at - started).toBeLessThan(4500);
  });

  it("ends an authenticated upload whose body takes longer than HTTP_REQUEST_TIMEOUT_MS", async () => {
    const body = JSON.stringify(chatInput());
    const s = await open();
    const closed = untilClosed(s);
    const started = Date.now();
    s.write(head(body.length));
    let sent = 0;
    const trickle = setInterval(() => sent < body.length - 1 && s.write(body[sent++]), 200);
    const { at } = await closed;
    clearInterval(trickle);
    expect(at - started).toBeGreaterThanOrEqual(2900);
    expect(at - started).toBeLessThan(5500);
    expect(await metric(/^earshot_http_requests_total\{.*status="500"/)).toEqual([]);
  });
});
