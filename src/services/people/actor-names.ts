import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { apiKeys, users } from "../../db/schema/index.js";
import { SYSTEM } from "../person.js";
import { CLI_ACTOR } from "./principal.js";

/** At most this many ids per `IN (…)` list: each is a bound parameter. */
const CHUNK = 500;

/**
 * The names behind actor references as records keep them (`user:<id>`, `key:<id>`, `cli`, `system`):
 * a person's display name as it is now, a key's name. A reference to no known person or key keeps
 * itself as its name, so a view always has something to show.
 */
export async function actorNames(db: Db, refs: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const userIds = new Set<string>();
  const keyIds = new Set<string>();
  const out = new Map<string, string>();
  for (const ref of refs) {
    if (!ref || out.has(ref)) continue;
    out.set(ref, ref === CLI_ACTOR.ref ? CLI_ACTOR.name : ref === SYSTEM.id ? SYSTEM.name : ref);
    if (ref.startsWith("user:")) userIds.add(ref.slice(5));
    else if (ref.startsWith("key:")) keyIds.add(ref.slice(4));
  }
  const users_ = [...userIds];
  for (let i = 0; i < users_.length; i += CHUNK)
    for (const u of await db
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .where(inArray(users.id, users_.slice(i, i + CHUNK))))
      out.set(`user:${u.id}`, u.name);
  const keys = [...keyIds];
  for (let i = 0; i < keys.length; i += CHUNK)
    for (const k of await db
      .select({ id: apiKeys.id, name: apiKeys.name })
      .from(apiKeys)
      .where(inArray(apiKeys.id, keys.slice(i, i + CHUNK))))
      out.set(`key:${k.id}`, `${k.name} (API key)`);
  return out;
}
