import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { openDb, type Db } from "../../src/db/client.js";
import { startServer, type StartedServer } from "../../src/server.js";
import { createApiKey, revokeApiKey } from "../../src/services/api-keys.js";
import { PasswordHasher } from "../../src/services/people/passwords.js";
import { CLI_ACTOR } from "../../src/services/people/principal.js";
import { createUser, updateUser } from "../../src/services/people/users.js";

// A real server on 127.0.0.1, and a second connection to its database file standing in for the CLI
// process that runs `keys revoke` or `users disable`: the server learns of either only through the database.
const dir = mkdtempSync(join(tmpdir(), "earshot-revoke-"));
const url = `file:${join(dir, "revoke.db")}`;
let server: StartedServer;
let cli: Db;

beforeAll(async () => {
  server = await startServer(
    loadConfig({
      DATABASE_URL: url,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "silent",
      ANALYSIS_WORKERS: "0",
      DASHBOARD_WORKER: "false",
      DATABASE_CHECKPOINT_INTERVAL_MS: "0",
      STREAMS_PER_KEY: "2",
      PASSWORD_HASH_MEMORY_KIB: "8192",
      PASSWORD_HASH_PASSES: "1",
    }),
  );
  cli = await openDb({ url });
});
afterAll(async () => {
  cli.$client.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens a live stream; `ended` resolves (with the time it ended) once the server closes it. */
async function openStream(path: string, headers: Record<string, string>) {
  const res = await fetch(`${server.url}${path}`, { headers });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const ended = (async () => {
    for (;;) {
      try {
        if ((await reader.read()).done) return Date.now();
      } catch {
        return Date.now();
      }
    }
  })();
  let settled = false;
  void ended.then(() => (settled = true));
  return { ended, isOpen: () => !settled, cancel: () => reader.cancel().catch(() => {}) };
}

const hasher = new PasswordHasher({ memoryKib: 8192, passes: 1, concurrency: 1 });
let people = 0;

/** An agent added from the CLI's connection, as `users create` would. */
async function agent() {
  const username = `revocable${++people}`;
  const password = `${username} walks the quiet harbour at dawn`;
  const user = await createUser(
    cli,
    hasher,
    { username, displayName: username, role: "agent", password },
    CLI_ACTOR,
    new Date(),
  );
  return { id: user.id, username, password };
}

async function signIn(person: { username: string; password: string }): Promise<string> {
  const res = await fetch(`${server.url}/console/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    body: new URLSearchParams({ username: person.username, password: person.password, next: "/console" }),
  });
  expect(res.status).toBe(303);
  return res.headers.get("set-cookie")!.split(";")[0];
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("revoking a key ends what it holds open", () => {
  it("closes the key's API stream within a second, and leaves other keys' streams open", async () => {
    const doomed = await createApiKey(cli, "doomed reader", ["read"]);
    const other = await createApiKey(cli, "other reader", ["read"]);
    const mine = await openStream("/v1/moments/stream", { authorization: `Bearer ${doomed.key}` });
    const theirs = await openStream("/v1/moments/stream", { authorization: `Bearer ${other.key}` });
    await settle(300);
    expect(mine.isOpen()).toBe(true);

    const revokedAt = Date.now();
    expect(await revokeApiKey(cli, doomed.id)).toBe(true);
    const endedAt = await mine.ended;
    expect(endedAt - revokedAt).toBeLessThan(1000);
    await settle(300);
    expect(theirs.isOpen()).toBe(true);
    // The key itself stops working within the same second (the verifier's cache lasts one).
    await settle(1000);
    expect(
      (await fetch(`${server.url}/v1/moments`, { headers: { authorization: `Bearer ${doomed.key}` } })).status,
    ).toBe(401);
    await theirs.cancel();
  });
});

describe("disabling a person ends what they hold open", () => {
  it("closes their console live stream, their API stream and their session within a second", async () => {
    const person = await agent();
    const cookie = await signIn(person);
    const live = await openStream("/console/live", { cookie });
    const api = await openStream("/v1/moments/stream", { cookie });
    await settle(300);
    const disabledAt = Date.now();
    await updateUser(cli, hasher, person.id, { disabled: true }, CLI_ACTOR, new Date());
    expect((await live.ended) - disabledAt).toBeLessThan(1000);
    expect((await api.ended) - disabledAt).toBeLessThan(1000);
    const page = await fetch(`${server.url}/console`, { headers: { cookie }, redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toContain("/console/sign-in");
  });

  it("closes the console's live stream when its session expires or is signed out", async () => {
    const person = await agent();
    const expiring = await signIn(person);
    const signingOut = await signIn(person);
    const a = await openStream("/console/live", { cookie: expiring });
    const b = await openStream("/console/live", { cookie: signingOut });
    await settle(300);

    // Expiry: the session's end moves to now (its lifetime is CONSOLE_SESSION_HOURS, minutes at least).
    const expiredAt = Date.now();
    const token = decodeURIComponent(expiring.split("=")[1]);
    const { hashKey } = await import("../../src/services/api-keys.js");
    await cli.$client.execute({
      sql: "UPDATE user_sessions SET expires_at = ? WHERE hash = ?",
      args: [expiredAt, hashKey(token)],
    });
    expect((await a.ended) - expiredAt).toBeLessThan(1000);
    expect(b.isOpen()).toBe(true);

    const outAt = Date.now();
    const out = await fetch(`${server.url}/console/sign-out`, {
      method: "POST",
      redirect: "manual",
      headers: { cookie: signingOut, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: "",
    });
    expect(out.status).toBe(303);
    expect((await b.ended) - outAt).toBeLessThan(1000);
  });
});

describe("open streams per key and per person", () => {
  it("answers 429 with Retry-After past STREAMS_PER_KEY, counting a person's console and API streams together, and frees the slot when one closes", async () => {
    const person = await agent();
    const cookie = await signIn(person);
    const second = await openStream("/console/live", { cookie });
    const other = await openStream("/console/live", { cookie: await signIn(person) });
    const refused = await fetch(`${server.url}/v1/moments/stream`, { headers: { cookie } });
    expect(refused.status).toBe(429);
    await second.cancel();
    await other.cancel();

    const reader = await createApiKey(cli, "capped reader", ["read"]);
    const auth = { authorization: `Bearer ${reader.key}` };
    const first = await openStream("/v1/moments/stream", auth);
    const secondKeyStream = await openStream("/v1/moments/stream", auth);
    const third = await fetch(`${server.url}/v1/moments/stream`, { headers: auth });
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("5");
    expect(third.headers.get("content-type")).toContain("application/problem+json");
    expect((await third.json()).detail).toContain("2 live streams");

    await first.cancel();
    await settle(200);
    const again = await openStream("/v1/moments/stream", auth);
    expect(again.isOpen()).toBe(true);
    await again.cancel();
    await secondKeyStream.cancel();
  });
});
