import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { apiKeys } from "./api-keys.js";
import { createdAt, utcMillis } from "./columns.js";

/**
 * Console sign-ins. The browser holds a random session token in an http-only cookie; only its hash is
 * stored. A session acts with the scopes of the API key it was opened with, so revoking the key ends it.
 */
export const consoleSessions = sqliteTable(
  "console_sessions",
  {
    id: text().primaryKey(),
    /** SHA-256 of the cookie's token. */
    hash: text().notNull(),
    apiKeyId: text()
      .notNull()
      .references(() => apiKeys.id),
    createdAt: createdAt(),
    expiresAt: utcMillis().notNull(),
  },
  (t) => [uniqueIndex("console_sessions_hash_uq").on(t.hash), index("console_sessions_expires_idx").on(t.expiresAt)],
);
