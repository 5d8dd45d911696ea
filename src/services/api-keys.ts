import { onPrimary } from "../db/read-routing.js";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys, scopes as allScopes, type Scope } from "../db/schema/index.js";
import { newId } from "../lib/ids.js";
import { keyWeakness } from "../lib/key-strength.js";
import { ConfigError } from "../config.js";

import { permissionsOfScopes } from "./people/permissions.js";
import type { Principal } from "./people/principal.js";

export type ApiKeyPrincipal = Extract<Principal, { kind: "key" }>;

const KEY_PREFIX = "es_";

/**
 * Keys are 256 random bits, so a fast hash (SHA-256) is enough to store them safely: there is nothing
 * to brute-force that a slow password hash would protect.
 */
export const hashKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

export function generateKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** The first characters of a key, shown in listings (api_keys.prefix) and counted by the failed-authentication throttle. */
export const keyPrefix = (key: string) => key.slice(0, 10);

export async function createApiKey(
  db: Db,
  name: string,
  scopes: Scope[],
  key = generateKey(),
): Promise<{ id: string; key: string }> {
  const id = newId("key");
  await db.write(({ orm }) =>
    orm.insert(apiKeys).values({
      id,
      name,
      prefix: keyPrefix(key),
      hash: hashKey(key),
      scopes: [...new Set(scopes)],
      createdAt: new Date(),
    }),
  );
  return { id, key };
}

/**
 * Makes sure a key with this exact value and every scope exists (EARSHOT_ADMIN_KEY). A value that is
 * easy to guess is refused (ConfigError, so start-up stops naming the variable): the admin key is the
 * one key an operator types in rather than one `keys create` generates.
 */
export async function ensureAdminKey(db: Db, key: string): Promise<void> {
  const weakness = await keyWeakness(key);
  if (weakness) throw new ConfigError(`Invalid configuration:\n  EARSHOT_ADMIN_KEY: ${weakness}`);
  const hash = hashKey(key);
  const [row] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.hash, hash));
  if (row) {
    await db.write(({ orm }) =>
      orm
        .update(apiKeys)
        .set({ scopes: [...allScopes], revokedAt: null })
        .where(eq(apiKeys.id, row.id)),
    );
    return;
  }
  await createApiKey(db, "bootstrap admin (EARSHOT_ADMIN_KEY)", [...allScopes], key);
}

export async function listApiKeys(db: Db) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys);
}

/**
 * Revokes a key. Servers notice within a second (the verifier's cache, and the live-stream check in
 * src/services/live-streams.ts), also when this runs in another process such as the CLI.
 */
export async function revokeApiKey(db: Db, id: string): Promise<boolean> {
  const res = await db.write(({ orm }) => orm.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id)));
  return res.rowsAffected > 0;
}

/** How long a verified key is trusted without asking the database again: how long a revoked key may still work. */
export const CACHE_TTL_MS = 1_000;

/**
 * Resolves bearer keys to principals. Looked up by hash (indexed), then compared in constant time;
 * answers are cached for a second, so a busy ingest client costs one indexed lookup a second rather
 * than one per request, and a revoked key stops working within that second.
 */
export class ApiKeyVerifier {
  #cache = new Map<string, { principal: ApiKeyPrincipal | null; until: number }>();

  constructor(private readonly db: Db) {}

  async verify(key: string): Promise<ApiKeyPrincipal | null> {
    const hash = hashKey(key);
    const now = Date.now();
    const cached = this.#cache.get(hash);
    if (cached && cached.until > now) return cached.principal;
    const [row] = await onPrimary(() => this.db.select().from(apiKeys).where(eq(apiKeys.hash, hash)));
    const principal =
      row && !row.revokedAt && timingSafeEqual(Buffer.from(row.hash, "hex"), Buffer.from(hash, "hex"))
        ? {
            kind: "key" as const,
            id: row.id,
            name: row.name,
            scopes: row.scopes,
            permissions: permissionsOfScopes(row.scopes),
          }
        : null;
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, { principal, until: now + CACHE_TTL_MS });
    return principal;
  }
}
