import { and, asc, eq, isNull, ne } from "drizzle-orm";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { userSessions, users } from "../../db/schema/index.js";
import type { UserInput, UserPatch } from "../../contracts/people.js";
import { conflict, invalid, notFound } from "../../lib/domain-error.js";
import { fieldError } from "../../lib/field-errors.js";
import { newId } from "../../lib/ids.js";
import { passwordWeakness } from "../../lib/key-strength.js";
import { audit, type AuditEntry } from "./audit.js";
import type { PasswordHasher } from "./passwords.js";
import type { Role } from "./permissions.js";
import type { Actor } from "./principal.js";

export type UserRow = typeof users.$inferSelect;

/** A person as the API shows them: never their password hash. */
export const userView = (u: UserRow) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  signIn: [...(u.passwordHash ? ["password" as const] : []), ...(u.oidcSubject ? ["oidc" as const] : [])],
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
  lastSignInAt: u.lastSignInAt?.toISOString() ?? null,
  disabledAt: u.disabledAt?.toISOString() ?? null,
});
export type UserView = ReturnType<typeof userView>;

async function checkPassword(password: string, hints: string[]) {
  const weakness = await passwordWeakness(password, hints);
  if (weakness) throw invalid("The password is too easy to guess.", [fieldError(["password"], weakness)]);
}

/** Creates a person; a taken username is a conflict, a guessable password is refused naming the field. */
export async function createUser(db: Db, hasher: PasswordHasher, input: UserInput, by: Actor, now: Date) {
  if (input.password) await checkPassword(input.password, [input.username, input.displayName]);
  const passwordHash = input.password ? await hasher.hash(input.password) : null;
  const row = await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [taken] = await orm.select({ id: users.id }).from(users).where(eq(users.username, input.username));
    if (taken) throw conflict(`The username ${input.username} is taken.`);
    const [inserted] = await orm
      .insert(users)
      .values({
        id: newId("usr", now.getTime()),
        username: input.username,
        displayName: input.displayName,
        role: input.role,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await audit(tx, {
      action: "user_created",
      actor: by,
      subjectId: inserted.id,
      details: { role: input.role, signIn: passwordHash ? "password" : "oidc" },
      at: now,
    });
    return inserted;
  });
  return userView(row);
}

export async function listUsers(db: Db) {
  return (await db.select().from(users).orderBy(asc(users.username))).map(userView);
}

export async function getUser(db: Db, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  if (!row) throw notFound(`No person ${id}.`);
  return row;
}

/** The person a username names, if any (the password sign-in's lookup). */
export async function userByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username.trim().toLowerCase()));
  return row;
}

/** Refuses a change that would leave no enabled admin: nobody could manage people any more. */
async function keepAnAdmin(orm: ReturnType<typeof ormFor>, u: UserRow, role: Role, disabled: boolean) {
  if (u.role !== "admin" || u.disabledAt || (role === "admin" && !disabled)) return;
  const [other] = await orm
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.disabledAt), ne(users.id, u.id)))
    .limit(1);
  if (!other) throw conflict(`${u.username} is the only enabled admin; make someone else admin first.`);
}

/**
 * Changes a person's name, role, password or whether they may sign in, each change audited. Disabling
 * ends their sessions in the same transaction; a role change applies to their open sessions at once.
 */
export async function updateUser(db: Db, hasher: PasswordHasher, id: string, patch: UserPatch, by: Actor, now: Date) {
  const before = await getUser(db, id);
  if (patch.password) await checkPassword(patch.password, [before.username, patch.displayName ?? before.displayName]);
  const passwordHash = patch.password ? await hasher.hash(patch.password) : undefined;
  const row = await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [u] = await orm.select().from(users).where(eq(users.id, id));
    if (!u) throw notFound(`No person ${id}.`);
    const role = patch.role ?? u.role;
    const disabled = patch.disabled ?? u.disabledAt !== null;
    await keepAnAdmin(orm, u, role, disabled);
    const entries: AuditEntry[] = [];
    const entry = (action: AuditEntry["action"], details: Record<string, unknown> = {}) =>
      entries.push({ action, actor: by, subjectId: id, details, at: now });
    if (patch.displayName !== undefined && patch.displayName !== u.displayName)
      entry("user_updated", { field: "displayName" });
    if (role !== u.role) entry("role_changed", { from: u.role, to: role });
    if (passwordHash) entry("password_set");
    if (disabled !== (u.disabledAt !== null)) entry(disabled ? "user_disabled" : "user_enabled");
    const [updated] = await orm
      .update(users)
      .set({
        displayName: patch.displayName ?? u.displayName,
        role,
        ...(passwordHash ? { passwordHash } : {}),
        disabledAt: disabled ? (u.disabledAt ?? now) : null,
        updatedAt: entries.length ? now : u.updatedAt,
      })
      .where(eq(users.id, id))
      .returning();
    if (disabled) await orm.delete(userSessions).where(eq(userSessions.userId, id));
    await audit(tx, ...entries);
    return updated;
  });
  return userView(row);
}
