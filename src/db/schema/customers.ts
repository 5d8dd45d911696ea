import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const customers = sqliteTable("customers", {
  id: text().primaryKey(),
  displayName: text(),
  createdAt: createdAt(),
  updatedAt: utcMillis().notNull(),
});
