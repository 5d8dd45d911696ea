import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config.js";
import { localDbPath } from "../db/client.js";
import { scopes } from "../db/schema/index.js";
import { randomBytes } from "node:crypto";
import { ApiKeyVerifier, createApiKey } from "../services/api-keys.js";
import { CLI_ACTOR } from "../services/people/principal.js";
import { createUser, updateUser, userByUsername } from "../services/people/users.js";
import { databaseIsEmpty, loadSampleData } from "../services/sample-data.js";
import { startServer, stopOnSignals } from "../server.js";

/** The dev key is kept beside the demo database so repeated demos print the same key. */
function demoKeyPath(config: Config) {
  const file = localDbPath(config.DATABASE_URL) ?? resolve("./data/earshot.db");
  return resolve(dirname(file), "demo-api-key.txt");
}

export async function demoCommand(config: Config) {
  const server = await startServer(config);
  const { runtime } = server;
  if (await databaseIsEmpty(runtime.db)) {
    process.stderr.write("loading sample data…\n");
    const loaded = await loadSampleData(runtime.ingest, undefined, { endAt: new Date() });
    process.stderr.write(`loaded ${loaded.interaction} interactions and ${loaded.event} journey events\n`);
  }

  let key = config.EARSHOT_ADMIN_KEY;
  if (!key) {
    const path = demoKeyPath(config);
    const saved = existsSync(path) ? readFileSync(path, "utf8").trim() : "";
    if (saved && (await new ApiKeyVerifier(runtime.db).verify(saved))) key = saved;
    else {
      key = (await createApiKey(runtime.db, "demo (npm run demo)", [...scopes])).key;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, key + "\n", { mode: 0o600 });
    }
  }

  // A console admin for the demo, its password kept beside the key; people sign in, keys are for systems.
  const passwordPath = resolve(dirname(demoKeyPath(config)), "demo-console-password.txt");
  let password = existsSync(passwordPath) ? readFileSync(passwordPath, "utf8").trim() : "";
  if (!password || !(await userByUsername(runtime.db, "demo"))) {
    password = randomBytes(18).toString("base64url");
    const existing = await userByUsername(runtime.db, "demo");
    if (!existing)
      await createUser(
        runtime.db,
        runtime.passwords,
        { username: "demo", displayName: "Demo Admin", role: "admin", password },
        CLI_ACTOR,
        new Date(),
      );
    else
      await updateUser(
        runtime.db,
        runtime.passwords,
        existing.id,
        { password, disabled: false },
        CLI_ACTOR,
        new Date(),
      );
    mkdirSync(dirname(passwordPath), { recursive: true });
    writeFileSync(passwordPath, password + "\n", { mode: 0o600 });
  }

  const url = server.url;
  console.log(`
Earshot is running at ${url}

  Agent console:            ${url}/console  (username demo, password ${password})
  Dev API key (all scopes): ${key}
  API docs:                 ${url}/docs

Try:
  curl -s -X POST ${url}/v1/analyze -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" \\
    -d '{"text":"The app is great but support is terrible. I want to speak to a manager!"}'

  curl -s -X POST ${url}/v1/interactions -H "Authorization: Bearer ${key}" -H "Content-Type: application/json" \\
    -d '{"source":"demo","externalId":"demo-1","channel":"social","platform":"twitter","authorHandle":"@maria_g","occurredAt":"${new Date().toISOString().slice(0, 19)}Z","text":"Charged twice AGAIN. Closing my account."}'

  The bank customer's story (a failed withdrawal, a 44-second chat wait, an angry post, a closure email):
  curl -s "${url}/v1/customers?q=maria.gomez0@mail.example" -H "Authorization: Bearer ${key}"
  curl -s "${url}/v1/customers/<id from above>/timeline?order=desc" -H "Authorization: Bearer ${key}"

Press Ctrl+C to stop.
`);
  stopOnSignals(server);
}
