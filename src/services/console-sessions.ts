import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { apiKeys, consoleSessions, type Scope } from "../db/schema/index.js";
import { newId } from "../lib/ids.js";
import { hashKey, type ApiKeyPrincipal, type ApiKeyVerifier } from "./api-keys.js";

export interface OpenedSession {
  token: string;
  expiresAt: Date;
  /** The API key the session acts for. */
  apiKeyId: string;
}

/**
 * Opens a console session for an API key that may read. Returns null for an unknown or revoked key and
 * "forbidden" for a key without the read scope, so the sign-in page can say which.
 */
export async function openConsoleSession(
  db: Db,
  keys: Pick<ApiKeyVerifier, "verify">,
  apiKey: string,
  ttlMs: number,
  now = Date.now(),
): Promise<OpenedSession | null | "forbidden"> {
  const principal = await keys.verify(apiKey);
  if (!principal) return null;
  if (!canRead(principal.scopes)) return "forbidden";
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + ttlMs);
  await db.write(async ({ orm }) => {
    // Expired sessions are swept whenever someone signs in; the table stays as small as the active ones.
    await orm.delete(consoleSessions).where(lte(consoleSessions.expiresAt, new Date(now)));
    await orm.insert(consoleSessions).values({
      id: newId("ses", now),
      hash: hashKey(token),
      apiKeyId: principal.id,
      createdAt: new Date(now),
      expiresAt,
    });
  });
  return { token, expiresAt, apiKeyId: principal.id };
}

/** The principal behind a session cookie, or null when it is unknown, expired or its key was revoked. */
export async function consoleSessionPrincipal(
  db: Db,
  token: string,
  now = Date.now(),
): Promise<ApiKeyPrincipal | null> {
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes })
    .from(consoleSessions)
    .innerJoin(apiKeys, eq(apiKeys.id, consoleSessions.apiKeyId))
    .where(
      and(
        eq(consoleSessions.hash, hashKey(token)),
        gt(consoleSessions.expiresAt, new Date(now)),
        isNull(apiKeys.revokedAt),
      ),
    );
  if (!row) return null;
  return canRead(row.scopes) ? row : null;
}

export async function closeConsoleSession(db: Db, token: string): Promise<void> {
  await db.write(({ orm }) => orm.delete(consoleSessions).where(eq(consoleSessions.hash, hashKey(token))));
}

const canRead = (scopes: Scope[]) => scopes.includes("read") || scopes.includes("admin");
