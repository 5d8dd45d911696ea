import { index, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns.js";
import { customers } from "./customers.js";

export const identityKinds = [
  "customer_id",
  "email",
  "phone",
  "handle",
  "device_id",
  "account_number",
  "sender_id",
] as const;
export type IdentityKind = (typeof identityKinds)[number];

export const identities = sqliteTable(
  "identities",
  {
    id: text().primaryKey(),
    customerId: text()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    kind: text({ enum: identityKinds }).notNull(),
    /** Normalised value (lower-cased email, E.164 phone, "platform:handle", ...). */
    value: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // One identifier belongs to one customer; also serves the lookup at ingest.
    uniqueIndex("identities_kind_value_uq").on(t.kind, t.value),
    // Serves "all identifiers of a customer" (profile, merge).
    index("identities_customer_idx").on(t.customerId),
  ],
);
