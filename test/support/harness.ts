import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createRuntime, type Runtime } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { createApiKey } from "../../src/services/api-keys.js";
import type { HostResolver } from "../../src/services/webhooks/ssrf.js";
import type { Role } from "../../src/services/people/permissions.js";
import { CLI_ACTOR } from "../../src/services/people/principal.js";
import { createUser } from "../../src/services/people/users.js";

export interface TestPerson {
  id: string;
  username: string;
  name: string;
  password: string;
  /** `earshot_session=…`, for a Cookie header. */
  cookie: string;
}

let people = 0;

export interface Harness {
  app: ReturnType<typeof createApp>;
  runtime: Runtime;
  dir: string;
  /** `system` (ingest and supervise: everything but admin) is what a request without `key` sends. */
  keys: {
    ingest: string;
    read: string;
    act: string;
    supervise: string;
    admin: string;
    ingestRead: string;
    system: string;
  };
  /** A person with `role`, created through the real users service and signed in through the console's form. */
  person(role: Role, opts?: { username?: string; name?: string }): Promise<TestPerson>;
  /** JSON request with a key; `body` is serialised unless it is already a string. */
  request(
    method: string,
    path: string,
    opts?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
  close(): Promise<void>;
}

/** A fresh app over its own temp-file libSQL database with the shipped migrations applied. */
export async function createHarness(
  env: Record<string, string> = {},
  opts: { clock?: () => Date; resolveHost?: HostResolver } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "earshot-test-"));
  // Analysis and the dashboard run in-process and SQLite checkpoints on its own unless a test asks for
  // the threads (each costs start-up time under tsx); test/db/wal-checkpointer.test.ts covers the
  // checkpoint thread, test/dashboard-worker.test.ts the dashboard's.
  const config: Config = loadConfig({
    DATABASE_URL: `file:${join(dir, "test.db")}`,
    LOG_LEVEL: "silent",
    ANALYSIS_WORKERS: "0",
    DASHBOARD_WORKER: "false",
    DATABASE_CHECKPOINT_INTERVAL_MS: "0",
    // Every in-process request comes from one address ("local"), and suites send hundreds of unknown
    // keys on purpose; test/security/auth-throttle.test.ts sets the limit it tests.
    AUTH_FAILURE_LIMIT: "100000",
    // Suites post chats dated in the past; the quiet-period sweep would close them mid-test.
    // test/connectors/quiet-close.test.ts turns it on.
    CONVERSATION_QUIET_MINUTES: "0",
    // The smallest argon2id cost the settings allow: tests sign people in by the hundred, and
    // test/people/passwords.test.ts checks the hash itself.
    PASSWORD_HASH_MEMORY_KIB: "8192",
    PASSWORD_HASH_PASSES: "1",
    ...env,
  });
  const runtime = await createRuntime(config, {
    logger: createLogger("silent"),
    clock: opts.clock,
    resolveHost: opts.resolveHost,
  });
  const app = createApp(runtime);
  const keys = {
    ingest: (await createApiKey(runtime.db, "test ingest", ["ingest"])).key,
    read: (await createApiKey(runtime.db, "test read", ["read"])).key,
    act: (await createApiKey(runtime.db, "test act", ["act"])).key,
    supervise: (await createApiKey(runtime.db, "test supervise", ["supervise"])).key,
    admin: (await createApiKey(runtime.db, "test admin", ["admin"])).key,
    ingestRead: (await createApiKey(runtime.db, "test ingest+read", ["ingest", "read"])).key,
    system: (await createApiKey(runtime.db, "test system", ["ingest", "supervise"])).key,
  };
  return {
    app,
    runtime,
    dir,
    keys,
    async request(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      const key = opts.key === undefined ? keys.system : opts.key;
      if (key) headers.authorization = `Bearer ${key}`;
      let body: BodyInit | undefined;
      if (opts.body !== undefined) {
        body =
          typeof opts.body === "string" || opts.body instanceof Uint8Array
            ? (opts.body as BodyInit)
            : JSON.stringify(opts.body);
        headers["content-type"] ??= "application/json";
      }
      return app.request(path, { method, headers, body });
    },
    async person(role, opts = {}) {
      const n = ++people;
      const username = opts.username ?? `${role}${n}`;
      const name = opts.name ?? `${role[0].toUpperCase()}${role.slice(1)} Person ${n}`;
      // Random words, so the strength check passes without a fixed password in the tests.
      const password = `${Math.random().toString(36).slice(2)} lantern ${Math.random().toString(36).slice(2)}`;
      const user = await createUser(
        runtime.db,
        runtime.passwords,
        { username, displayName: name, role, password },
        CLI_ACTOR,
        new Date(),
      );
      const res = await app.request("http://localhost/console/sign-in", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: "http://localhost" },
        body: new URLSearchParams({ username, password, next: "/console" }).toString(),
        redirect: "manual",
      });
      if (res.status !== 303) throw new Error(`sign-in as ${username} answered ${res.status}`);
      const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
      return { id: user.id, username, name, password, cookie };
    },
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
