import { randomBytes } from "node:crypto";
import type { Db } from "../db/client.js";
import type { Scope } from "../db/schema/index.js";
import { newId } from "../lib/ids.js";
import { hashKey, type ApiKeyPrincipal, type ApiKeyVerifier } from "./api-keys.js";

export interface OpenedSession {
  token: string;
  expiresAt: Date;
  /** The API key the session acts for. */
  apiKeyId: string;
}

type Row = Record<string, string | number | null>;

/**
 * Opens a console session for an API key that may read. Returns null for an unknown or revoked key and
 * "forbidden" for a key without the read scope, so the sign-in page can say which.
 */
export async function openConsoleSession(db: Db, keys: ApiKeyVerifier, apiKey: string, ttlMs: number, now = Date.now()): Promise<OpenedSession | null | "forbidden"> {
  const principal = await keys.verify(apiKey);
  if (!principal) return null;
  if (!canRead(principal.scopes)) return "forbidden";
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now + ttlMs);
  await db.write(async ({ client }) => {
    // Expired sessions are swept whenever someone signs in; the table stays as small as the active ones.
    await client.execute({ sql: "DELETE FROM console_sessions WHERE expires_at <= ?", args: [now] });
    await client.execute({
      sql: "INSERT INTO console_sessions (id, hash, api_key_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
      args: [newId("ses", now), hashKey(token), principal.id, now, expiresAt.getTime()],
    });
  });
  return { token, expiresAt, apiKeyId: principal.id };
}

/** The principal behind a session cookie, or null when it is unknown, expired or its key was revoked. */
export async function consoleSessionPrincipal(db: Db, token: string, now = Date.now()): Promise<ApiKeyPrincipal | null> {
  const rs = await db.$client.execute({
    sql: `SELECT k.id, k.name, k.scopes FROM console_sessions s JOIN api_keys k ON k.id = s.api_key_id
      WHERE s.hash = ? AND s.expires_at > ? AND k.revoked_at IS NULL`,
    args: [hashKey(token), now],
  });
  const row = rs.rows[0] as unknown as Row | undefined;
  if (!row) return null;
  const scopes = JSON.parse(String(row.scopes)) as Scope[];
  return canRead(scopes) ? { id: String(row.id), name: String(row.name), scopes } : null;
}

export async function closeConsoleSession(db: Db, token: string): Promise<void> {
  await db.write(({ client }) => client.execute({ sql: "DELETE FROM console_sessions WHERE hash = ?", args: [hashKey(token)] }));
}

const canRead = (scopes: Scope[]) => scopes.includes("read") || scopes.includes("admin");
