import { scopes as allScopes, type Scope } from "../db/schema/index.js";
import type { Db } from "../db/client.js";
import { createApiKey, listApiKeys, revokeApiKey } from "../services/api-keys.js";

export class UsageError extends Error {}

export function parseScopes(raw: string | undefined): Scope[] {
  const list = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0)
    throw new UsageError(`--scopes is required: a comma-separated list of ${allScopes.join(", ")}`);
  const bad = list.filter((s) => !(allScopes as readonly string[]).includes(s));
  if (bad.length) throw new UsageError(`unknown scope(s) ${bad.join(", ")}; use ${allScopes.join(", ")}`);
  return list as Scope[];
}

/** `keys create|list|revoke`: the key itself is printed once, on create, and never stored. */
export async function keysCommand(
  db: Db,
  args: string[],
  flags: { scopes?: string; name?: string },
  print: (s: string) => void,
) {
  const [action, id] = args;
  switch (action) {
    case "create": {
      const scopes = parseScopes(flags.scopes);
      const { id: keyId, key } = await createApiKey(db, flags.name ?? `cli key ${new Date().toISOString()}`, scopes);
      print(key);
      process.stderr.write(`created ${keyId} with scopes ${scopes.join(",")}; the key is shown once, keep it safe\n`);
      return;
    }
    case "list":
      for (const k of await listApiKeys(db)) {
        print(`${k.id}\t${k.prefix}…\t${k.scopes.join(",")}\t${k.revokedAt ? "revoked" : "active"}\t${k.name}`);
      }
      return;
    case "revoke":
      if (!id) throw new UsageError("usage: keys revoke <key id>");
      if (!(await revokeApiKey(db, id))) throw new UsageError(`no key ${id}`);
      print(`revoked ${id}`);
      return;
    default:
      throw new UsageError("usage: keys create --scopes ingest,read [--name NAME] | keys list | keys revoke <id>");
  }
}
