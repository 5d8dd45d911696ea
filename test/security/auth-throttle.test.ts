import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { startServer, type StartedServer } from "../../src/server.js";
import { AuthFailures } from "../../src/services/auth-failures.js";
import { CLI_ACTOR } from "../../src/services/people/principal.js";
import { createUser } from "../../src/services/people/users.js";
import { createApiKey, ensureAdminKey } from "../../src/services/api-keys.js";
import { openDb } from "../../src/db/client.js";
import { runMigrations } from "../../src/db/migrate.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-throttle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("AuthFailures", () => {
  it("refuses an address or a prefix past the limit for the rest of its window, never a key that authenticated", () => {
    let t = 0;
    const f = new AuthFailures({ limit: 3, windowMs: 60_000, now: () => t });
    for (let i = 0; i < 3; i++) {
      expect(f.retryAfter("10.0.0.1", `es_guess${i}`, `h${i}`)).toBe(0);
      f.failed("10.0.0.1", `es_guess${i}`);
    }
    expect(f.retryAfter("10.0.0.1", "es_other00", "h9")).toBe(60);
    // Another address with a fresh prefix is not affected.
    expect(f.retryAfter("10.0.0.2", "es_other00", "h9")).toBe(0);
    // A key that authenticated is exempt even from the refused address.
    f.succeeded("good");
    expect(f.retryAfter("10.0.0.1", "es_good000", "good")).toBe(0);
    t = 59_500;
    expect(f.retryAfter("10.0.0.1", "es_other00", "h9")).toBe(1);
    t = 60_000;
    expect(f.retryAfter("10.0.0.1", "es_other00", "h9")).toBe(0);

    // Many addresses aiming at one prefix are stopped by the prefix's count.
    for (let i = 0; i < 3; i++) f.failed(`10.1.0.${i}`, "es_target0");
    expect(f.retryAfter("10.1.0.99", "es_target0", "x")).toBe(60);
  });

  it("keeps its memory bounded however many addresses fail", () => {
    const f = new AuthFailures({ limit: 5, windowMs: 60_000, maxEntries: 500 });
    for (let i = 0; i < 20_000; i++) f.failed(`a${i}`, `p${i}`);
    const { addresses, prefixes } = f.size;
    expect(addresses).toBeLessThanOrEqual(500);
    expect(prefixes).toBeLessThanOrEqual(500);
  });
});

describe("failed authentication over HTTP", () => {
  let server: StartedServer;
  let good: string;
  beforeAll(async () => {
    server = await startServer(
      loadConfig({
        DATABASE_URL: `file:${join(dir, "http.db")}`,
        HOST: "127.0.0.1",
        PORT: "0",
        LOG_LEVEL: "silent",
        ANALYSIS_WORKERS: "0",
        DASHBOARD_WORKER: "false",
        DATABASE_CHECKPOINT_INTERVAL_MS: "0",
        AUTH_FAILURE_LIMIT: "5",
        AUTH_FAILURE_WINDOW_SECONDS: "60",
        PASSWORD_HASH_MEMORY_KIB: "8192",
        PASSWORD_HASH_PASSES: "1",
      }),
    );
    good = (await createApiKey(server.runtime.db, "good reader", ["read"])).key;
  });
  afterAll(() => server.stop());

  /** A GET from a chosen loopback address (Linux routes all of 127/8 to lo). */
  const get = (path: string, key: string, from = "127.0.0.1") =>
    new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
      (resolve, reject) => {
        const req = request(
          `${server.url}${path}`,
          { localAddress: from, headers: { authorization: `Bearer ${key}` }, agent: false },
          (res) => {
            let body = "";
            res
              .on("data", (d) => (body += d))
              .on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
          },
        );
        req.on("error", reject).end();
      },
    );
  const guess = () => `es_${randomBytes(32).toString("base64url")}`;

  it("answers 429 with Retry-After past the limit per address, and still serves keys that authenticated", async () => {
    expect((await get("/v1/moments", good, "127.0.0.3")).status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await get("/v1/moments", guess(), "127.0.0.3")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
    const refused = await get("/v1/moments", guess(), "127.0.0.3");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(50);
    expect(refused.headers["content-type"]).toBe("application/problem+json");
    expect(JSON.parse(refused.body)).toMatchObject({ code: "rate_limited", status: 429 });
    // The key that had authenticated keeps working from the same address; other addresses are untouched.
    expect((await get("/v1/moments", good, "127.0.0.3")).status).toBe(200);
    expect((await get("/v1/moments", guess(), "127.0.0.4")).status).toBe(401);
  });

  it("answers 429 past the limit per key prefix, whatever the address", async () => {
    const prefix = "es_Targeted";
    const statuses = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await get("/v1/moments", prefix + randomBytes(30).toString("base64url"), `127.0.1.${i + 1}`)).status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("throttles password sign-in per address and per username, with a readable 429 page", async () => {
    const password = "the correct password for the throttled agent";
    await createUser(
      server.runtime.db,
      server.runtime.passwords,
      { username: "targeted", displayName: "Targeted Agent", role: "agent", password },
      CLI_ACTOR,
      new Date(),
    );
    const signIn = (username: string, pw: string, from = "127.0.0.5") =>
      new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
        const body = new URLSearchParams({ username, password: pw, next: "/console" }).toString();
        const req = request(
          `${server.url}/console/sign-in`,
          {
            method: "POST",
            localAddress: from,
            agent: false,
            headers: {
              origin: server.url,
              "content-type": "application/x-www-form-urlencoded",
              "content-length": Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = "";
            res
              .on("data", (d) => (text += d))
              .on("end", () =>
                resolve({
                  status: res.statusCode!,
                  retryAfter: res.headers["retry-after"] as string | undefined,
                  body: text,
                }),
              );
          },
        );
        req.on("error", reject).end(body);
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await signIn(`someone${i}`, guess())).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const refused = await signIn("someone-else", guess());
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(50);
    expect(refused.body).toContain("Too many failed sign-ins");
    // Guesses at one username from many addresses are throttled too; the right password waits as well.
    const spread = [];
    for (let i = 0; i < 5; i++) spread.push((await signIn("targeted", guess(), `127.0.2.${i + 1}`)).status);
    expect(spread).toEqual([401, 401, 401, 401, 401]);
    expect((await signIn("targeted", password, "127.0.2.9")).status).toBe(429);
    // Another username from a fresh address is still checked (401, not 429).
    expect((await signIn("targeted2", password, "127.0.3.1")).status).toBe(401);
  });
});

describe("EARSHOT_ADMIN_KEY", () => {
  it("is refused when easy to guess, naming the variable, and accepted when random", async () => {
    const db = await openDb({ url: `file:${join(dir, "admin.db")}` });
    await runMigrations(db);
    for (const weak of [
      "fault-admin-key-0123456789abcdef",
      "bootstrap-admin-key-for-tests-000000",
      "password-password-password-1234",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ]) {
      await expect(ensureAdminKey(db, weak), weak).rejects.toThrow(/EARSHOT_ADMIN_KEY: is too easy to guess/);
    }
    await expect(ensureAdminKey(db, randomBytes(32).toString("base64"))).resolves.toBeUndefined();
    await expect(ensureAdminKey(db, randomBytes(32).toString("hex"))).resolves.toBeUndefined();
    db.$client.close();
  });

  it("stops the server process with exit code 2 and a message", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/index.ts"], {
      cwd: join(import.meta.dirname, "..", ".."),
      env: {
        ...process.env,
        HOST: "127.0.0.1",
        PORT: "0",
        DATABASE_URL: `file:${join(dir, "weak.db")}`,
        EARSHOT_ADMIN_KEY: "my-company-admin-key-2026!",
        ANALYSIS_WORKERS: "0",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(stderr).toContain("EARSHOT_ADMIN_KEY: is too easy to guess");
  }, 30_000);
});
