import { integer } from "drizzle-orm/sqlite-core";

// Instants are stored as UTC epoch milliseconds: sortable, index-friendly, no time-zone ambiguity.
export const utcMillis = (name?: string) =>
  name ? integer(name, { mode: "timestamp_ms" }) : integer({ mode: "timestamp_ms" });

export const createdAt = () => utcMillis().notNull();
