import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { startServer, type StartedServer } from "../../src/server.js";
import { createApiKey } from "../../src/services/api-keys.js";
import { loadSampleData } from "../../src/services/sample-data.js";

export interface ConsoleFixture {
  server: StartedServer;
  url: string;
  readKey: string;
  ingestKey: string;
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
  });
  const server = await startServer(config);
  await loadSampleData(server.runtime.ingest, undefined, { endAt: new Date() });
  await server.runtime.momentQueue.idle();
  const readKey = (await createApiKey(server.runtime.db, "agent", ["read"])).key;
  const ingestKey = (await createApiKey(server.runtime.db, "feed", ["ingest"])).key;
  return {
    server,
    url: server.url,
    readKey,
    ingestKey,
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
