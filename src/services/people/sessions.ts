import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { userSessions, users, type signInMethods } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import { hashKey } from "../api-keys.js";
import { rolePermissions } from "./permissions.js";
import type { Principal } from "./principal.js";

export interface OpenedSession {
  token: string;
  expiresAt: Date;
}

/**
 * Opens a console session for a person who has just proved who they are, and notes when they signed
 * in. The token is 256 random bits, so its SHA-256 is all that needs storing (as for API keys).
 */
export async function openSession(
  db: Db,
  userId: string,
  method: (typeof signInMethods)[number],
  ttlMs: number,
  now: Date,
): Promise<OpenedSession> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + ttlMs);
  await db.write(async ({ orm }) => {
    // Expired sessions are swept whenever someone signs in; the table stays as small as the active ones.
    await orm.delete(userSessions).where(lte(userSessions.expiresAt, now));
    await orm.insert(userSessions).values({
      id: newId("ses", now.getTime()),
      hash: hashKey(token),
      userId,
      method,
      createdAt: now,
      expiresAt,
    });
    await orm.update(users).set({ lastSignInAt: now }).where(eq(users.id, userId));
  });
  return { token, expiresAt };
}

/** The person behind a session cookie with their role as it is now, or null when unknown, expired or disabled. */
export async function sessionPrincipal(db: Db, token: string, now = new Date()): Promise<Principal | null> {
  const [row] = await db
    .select({ id: users.id, name: users.displayName, role: users.role })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .where(and(eq(userSessions.hash, hashKey(token)), gt(userSessions.expiresAt, now), isNull(users.disabledAt)));
  if (!row) return null;
  return { kind: "person", ...row, permissions: rolePermissions[row.role] };
}

/** Ends one session; answers its person's id, for the audit, when it was live. */
export async function closeSession(db: Db, token: string): Promise<string | null> {
  const [row] = await db.write(({ orm }) =>
    orm
      .delete(userSessions)
      .where(eq(userSessions.hash, hashKey(token)))
      .returning({ userId: userSessions.userId }),
  );
  return row?.userId ?? null;
}
