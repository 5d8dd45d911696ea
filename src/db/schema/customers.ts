import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const customers = sqliteTable("customers", {
  id: text().primaryKey(),
  displayName: text(),
  /** Set while this customer is merged into another (kept, not deleted, so the merge can be undone). */
  mergedInto: text(),
  createdAt: createdAt(),
  updatedAt: utcMillis().notNull(),
});
