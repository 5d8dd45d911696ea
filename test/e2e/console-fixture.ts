import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { startServer, type StartedServer } from "../../src/server.js";
import type { Page } from "playwright-core";
import { createApiKey } from "../../src/services/api-keys.js";
import type { Role } from "../../src/services/people/permissions.js";
import { CLI_ACTOR } from "../../src/services/people/principal.js";
import { createUser } from "../../src/services/people/users.js";
import { loadSampleData } from "../../src/services/sample-data.js";

export interface Credentials {
  username: string;
  password: string;
  name: string;
}

/** Makes a person with a password, as `earshot users create` does. */
export async function addPerson(
  server: StartedServer,
  role: Role,
  username: string,
  name: string,
): Promise<Credentials> {
  const password = `${username} keeps the lighthouse lamp burning`;
  await createUser(
    server.runtime.db,
    server.runtime.passwords,
    { username, displayName: name, role, password },
    CLI_ACTOR,
    new Date(),
  );
  return { username, password, name };
}

/** Signs in through the console's form as a person would, and waits for the search page. */
export async function signIn(page: Page, url: string, who: Credentials) {
  if (!new URL(page.url()).pathname.startsWith("/console/sign-in")) await page.goto(`${url}/console/sign-in`);
  await page.getByLabel("Username").fill(who.username);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForSelector("#search-summary");
}

export interface ConsoleFixture {
  server: StartedServer;
  url: string;
  readKey: string;
  /** A key that may read verdicts and quality (supervise). */
  superviseKey: string;
  ingestKey: string;
  /** People to sign in as, made with the real users service. */
  agent: Credentials;
  supervisor: Credentials;
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 over a temp-file database holding the sample data moved to end now, with a
 * read key for signing in and an ingest key for making live moments happen.
 */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const dir = mkdtempSync(join(tmpdir(), "earshot-console-"));
  const config = loadConfig({
    DATABASE_URL: `file:${join(dir, "console.db")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    ANALYSIS_WORKERS: "0",
    // Sign-ins in the browser tests are few; the cheaper hash keeps them quick on a shared machine.
    PASSWORD_HASH_MEMORY_KIB: "19456",
    PASSWORD_HASH_PASSES: "2",
  });
  const server = await startServer(config);
  await loadSampleData(server.runtime.ingest, undefined, { endAt: new Date() });
  await server.runtime.momentQueue.idle();
  const readKey = (await createApiKey(server.runtime.db, "agent", ["read"])).key;
  const superviseKey = (await createApiKey(server.runtime.db, "quality reader", ["supervise"])).key;
  const ingestKey = (await createApiKey(server.runtime.db, "feed", ["ingest"])).key;
  return {
    server,
    url: server.url,
    readKey,
    superviseKey,
    ingestKey,
    agent: await addPerson(server, "agent", "ana", "Ana Agent"),
    supervisor: await addPerson(server, "supervisor", "sol", "Sol Supervisor"),
    async close() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An angry public post from a customer nobody has heard from: it flags a moment on arrival. */
export function angryPost(n: number, occurredAt = new Date()) {
  return {
    source: "social-listening",
    externalId: `live-${n}-${occurredAt.getTime()}`,
    channel: "social",
    platform: "twitter",
    authorHandle: `@furious_${n}`,
    public: true,
    occurredAt: occurredAt.toISOString(),
    customer: { name: `Live Customer ${n}` },
    text: "Charged twice AGAIN and nobody answers. This is a disgrace, I want a refund today or I am closing my account and reporting you.",
  };
}

/**
 * A real server on 127.0.0.1 over an empty temp-file database (analysis in-thread), and an ingest key
 * to feed it: for browser tests that post their own records. The caller removes `dir` when done.
 */
export async function startEmptyServer(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const server = await startServer(
    loadConfig({
      DATABASE_URL: `file:${join(dir, "console.db")}`,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "silent",
      ANALYSIS_WORKERS: "0",
    }),
  );
  const ingest = (await createApiKey(server.runtime.db, "feed", ["ingest"])).key;
  return { dir, server, ingest };
}
