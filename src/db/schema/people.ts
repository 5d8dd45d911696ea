import { sql } from "drizzle-orm";
import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const roles = ["agent", "supervisor", "admin"] as const;
export const signInMethods = ["password", "oidc"] as const;

/**
 * The people who use the console, separate from the API keys systems use. A person signs in with a
 * password (`password_hash` set) or through the OpenID Provider (`oidc_issuer` and `oidc_subject`
 * set), or both. People are disabled rather than deleted: what they did names them.
 */
export const users = sqliteTable(
  "users",
  {
    id: text().primaryKey(),
    /** Lower case; what a person types to sign in with a password. */
    username: text().notNull(),
    displayName: text().notNull(),
    role: text({ enum: roles }).notNull(),
    /** argon2id in PHC form (its parameters included); null for people who sign in only through the provider. */
    passwordHash: text(),
    oidcIssuer: text(),
    oidcSubject: text(),
    createdAt: createdAt(),
    updatedAt: utcMillis().notNull(),
    lastSignInAt: utcMillis(),
    disabledAt: utcMillis(),
  },
  (t) => [
    // Serves the password sign-in's lookup and keeps usernames unique.
    uniqueIndex("users_username_uq").on(t.username),
    // Serves the OpenID sign-in's lookup: one person per subject of an issuer.
    uniqueIndex("users_oidc_uq").on(t.oidcIssuer, t.oidcSubject).where(sql`oidc_subject IS NOT NULL`),
  ],
);

/**
 * Console sign-ins. The browser holds a random session token in an http-only cookie; only its hash is
 * stored. A session acts with its person's role as it is now, so a role change applies at once and
 * disabling the person ends it.
 */
export const userSessions = sqliteTable(
  "user_sessions",
  {
    id: text().primaryKey(),
    /** SHA-256 of the cookie's token. */
    hash: text().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id),
    method: text({ enum: signInMethods }).notNull(),
    createdAt: createdAt(),
    expiresAt: utcMillis().notNull(),
  },
  (t) => [
    // Serves the lookup on every console request.
    uniqueIndex("user_sessions_hash_uq").on(t.hash),
    // Serves the sweep of expired sessions at each sign-in.
    index("user_sessions_expires_idx").on(t.expiresAt),
    // Serves ending a person's sessions when they are disabled.
    index("user_sessions_user_idx").on(t.userId),
  ],
);

export const auditActions = [
  "sign_in",
  "sign_in_failed",
  "sign_out",
  "user_created",
  "user_updated",
  "role_changed",
  "password_set",
  "user_disabled",
  "user_enabled",
  "data_exported",
] as const;

/**
 * Who signed in, who failed to, every change to a person and every CSV export (its filters and rows):
 * append-only. `actor` is the one who
 * acted (`user:<id>`, `key:<id>` or `cli`), with their name as it was; `subject_id` the person acted on.
 * No password, token or typed-in username that matches no one is ever written here.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text().primaryKey(),
    action: text({ enum: auditActions }).notNull(),
    actor: text().notNull(),
    actorName: text().notNull(),
    subjectId: text(),
    details: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    at: utcMillis().notNull(),
  },
  (t) => [
    // Serves GET /v1/audit (newest first).
    index("audit_log_at_idx").on(t.at, t.id),
    // Serves a person's own trail.
    index("audit_log_subject_idx").on(t.subjectId, t.at),
  ],
);
