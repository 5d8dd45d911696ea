import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { users } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { AuthFailures } from "../auth-failures.js";
import { audit, type AuditEntry } from "./audit.js";
import type { OidcIdentity, OidcSettings } from "./oidc.js";
import type { PasswordHasher } from "./passwords.js";
import type { Role } from "./permissions.js";
import { openSession, type OpenedSession } from "./sessions.js";
import { userByUsername, type UserRow } from "./users.js";

/** Who a failed sign-in is recorded as: nobody has proved who they are. */
const ANONYMOUS = { ref: "anonymous", name: "not signed in" };

export type SignInOutcome =
  | { ok: true; session: OpenedSession; user: UserRow }
  | { ok: false; reason: "throttled"; retryAfter: number }
  | { ok: false; reason: "refused" | "disabled" | "no_role"; message: string };

export interface SignInDeps {
  db: Db;
  passwords: PasswordHasher;
  authFailures: AuthFailures;
}

/** How each failure is told to the person: never whether a username exists. */
const WRONG = "That username and password do not match.";
const DISABLED = "This account is disabled; ask an admin to enable it.";

const failed = (at: Date, details: Record<string, unknown>, subjectId?: string): AuditEntry => ({
  action: "sign_in_failed",
  actor: ANONYMOUS,
  subjectId: subjectId ?? null,
  details,
  at,
});

/**
 * Signs a person in with their username and password, under the failed-authentication throttle (per
 * client address and per username). An unknown username costs the same argon2id verification as a
 * known one, so timing does not tell them apart. Every success and failure is audited; a failure names
 * the person only when the username was theirs, and never records what was typed.
 */
export async function passwordSignIn(
  deps: SignInDeps,
  input: { username: string; password: string },
  ctx: { address: string; now: Date; ttlMs: number },
): Promise<SignInOutcome> {
  const { db, passwords, authFailures } = deps;
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const target = `user:${username}`;
  // Passwords are never trusted past the throttle: there is no secret of the holder's alone to recognise.
  const wait = authFailures.retryAfter(ctx.address, target, "");
  if (wait > 0) return { ok: false, reason: "throttled", retryAfter: wait };
  const user = username ? await userByUsername(db, username) : undefined;
  const password = input.password.slice(0, 256);
  const matches = user?.passwordHash ? await passwords.verify(user.passwordHash, password) : false;
  if (!user?.passwordHash) await passwords.verifyDecoy(password);
  if (!user || !matches) {
    authFailures.failed(ctx.address, target);
    await audit(
      db,
      failed(ctx.now, { method: "password", reason: user ? "wrong_password" : "unknown_username" }, user?.id),
    );
    return { ok: false, reason: "refused", message: WRONG };
  }
  if (user.disabledAt) {
    await audit(db, failed(ctx.now, { method: "password", reason: "disabled" }, user.id));
    return { ok: false, reason: "disabled", message: DISABLED };
  }
  if (passwords.isOutdated(user.passwordHash!)) {
    const rehashed = await passwords.hash(password);
    await db.write(({ orm }) => orm.update(users).set({ passwordHash: rehashed }).where(eq(users.id, user.id)));
  }
  const session = await openSession(db, user.id, "password", ctx.ttlMs, ctx.now);
  await audit(db, {
    action: "sign_in",
    actor: { ref: `user:${user.id}`, name: user.displayName },
    subjectId: user.id,
    details: { method: "password" },
    at: ctx.now,
  });
  return { ok: true, session, user };
}

/** A username for someone the provider introduced: theirs when free, else theirs with a random tail. */
function usernameFor(identity: OidcIdentity) {
  const base =
    (identity.username ?? identity.subject)
      .toLowerCase()
      .replace(/[^a-z0-9._@+-]+/g, "-")
      .replace(/^[^a-z0-9]+/, "")
      .slice(0, 50) || "person";
  return { base, alternative: `${base}-${randomBytes(3).toString("hex")}` };
}

/**
 * Signs in someone the OpenID Provider vouched for. The person is found by the provider's subject
 * (never by a username, which the provider's users could choose to match a local account), and
 * created at their first sign-in. With OIDC_ROLE_MAP set the provider's claim decides the role at
 * every sign-in (a change is audited); without it a new person gets OIDC_DEFAULT_ROLE and admins set
 * roles from then on. Someone the mapping gives no role, with no default, is refused.
 */
export async function oidcSignIn(
  db: Db,
  settings: Pick<OidcSettings, "roleMap" | "defaultRole">,
  identity: OidcIdentity,
  ctx: { now: Date; ttlMs: number },
): Promise<SignInOutcome> {
  const decided: Role | null = identity.mappedRole ?? settings.defaultRole ?? null;
  const providerDecides = settings.roleMap.size > 0;
  const provider = { ref: `oidc:${identity.issuer}`, name: "OpenID Provider" };
  const outcome = await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [found] = await orm
      .select()
      .from(users)
      .where(and(eq(users.oidcIssuer, identity.issuer), eq(users.oidcSubject, identity.subject)));
    const refuse = async (reason: "disabled" | "no_role", message: string) => {
      await audit(tx, failed(ctx.now, { method: "oidc", reason }, found?.id));
      return { ok: false as const, reason, message };
    };
    if (found?.disabledAt) return refuse("disabled", DISABLED);
    if (!found) {
      if (!decided) return refuse("no_role", "Your account at the identity provider gives you no Earshot role.");
      const { base, alternative } = usernameFor(identity);
      const [taken] = await orm.select({ id: users.id }).from(users).where(eq(users.username, base));
      const [created] = await orm
        .insert(users)
        .values({
          id: newId("usr", ctx.now.getTime()),
          username: taken ? alternative : base,
          displayName: identity.displayName,
          role: decided,
          oidcIssuer: identity.issuer,
          oidcSubject: identity.subject,
          createdAt: ctx.now,
          updatedAt: ctx.now,
        })
        .returning();
      await audit(tx, {
        action: "user_created",
        actor: provider,
        subjectId: created.id,
        details: { role: decided, signIn: "oidc" },
        at: ctx.now,
      });
      return { ok: true as const, user: created };
    }
    let user = found;
    const role = providerDecides ? decided : found.role;
    if (!role) return refuse("no_role", "Your account at the identity provider no longer gives you an Earshot role.");
    if (role !== found.role || identity.displayName !== found.displayName) {
      [user] = await orm
        .update(users)
        .set({ role, displayName: identity.displayName, updatedAt: ctx.now })
        .where(eq(users.id, found.id))
        .returning();
      if (role !== found.role)
        await audit(tx, {
          action: "role_changed",
          actor: provider,
          subjectId: found.id,
          details: { from: found.role, to: role },
          at: ctx.now,
        });
    }
    return { ok: true as const, user };
  });
  if (!outcome.ok) return outcome;
  const session = await openSession(db, outcome.user.id, "oidc", ctx.ttlMs, ctx.now);
  await audit(db, {
    action: "sign_in",
    actor: { ref: `user:${outcome.user.id}`, name: outcome.user.displayName },
    subjectId: outcome.user.id,
    details: { method: "oidc" },
    at: ctx.now,
  });
  return { ok: true, session, user: outcome.user };
}

/** Records a sign-out; `userId` is the session's person, when the session was live. */
export async function recordSignOut(db: Db, user: { id: string; name: string }, now: Date) {
  await audit(db, {
    action: "sign_out",
    actor: { ref: `user:${user.id}`, name: user.name },
    subjectId: user.id,
    at: now,
  });
}
