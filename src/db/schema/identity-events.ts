import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.js";

export const identityActions = [
  "merge",
  "merged_into",
  "unmerge",
  "link",
  "split",
  "split_from",
  "cap_reached",
  "merge_conflict",
  "erased",
] as const;

/** The audit trail of a customer's identity: every merge, unmerge, manual link and split. */
export const identityEvents = sqliteTable(
  "identity_events",
  {
    id: text().primaryKey(),
    customerId: text().notNull(),
    action: text({ enum: identityActions }).notNull(),
    rule: text(),
    /** Evidence and what changed; replaced by a tombstone when the customer is erased. */
    details: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    mergeId: text(),
    actor: text().notNull(),
    createdAt: createdAt(),
  },
  // Serves GET /v1/customers/{id}/identity-history.
  (t) => [index("identity_events_customer_idx").on(t.customerId, t.createdAt)],
);
