import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const scopes = ["ingest", "read", "act", "supervise", "admin"] as const;
export type Scope = (typeof scopes)[number];

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text().primaryKey(),
    name: text().notNull(),
    /** First characters of the key, shown in listings so a key can be recognised without its secret. */
    prefix: text().notNull(),
    /** SHA-256 of the whole key; the key itself is never stored. */
    hash: text().notNull(),
    scopes: text({ mode: "json" }).$type<Scope[]>().notNull(),
    createdAt: createdAt(),
    revokedAt: utcMillis(),
  },
  // Serves the lookup on every authenticated request.
  (t) => [uniqueIndex("api_keys_hash_uq").on(t.hash)],
);
