import { index, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";
import { customers } from "./customers.js";

export const journeyEvents = sqliteTable(
  "journey_events",
  {
    id: text().primaryKey(),
    source: text().notNull(),
    externalId: text().notNull(),
    customerId: text()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    /** login, page_view, transaction, error, service, ... (open set). */
    type: text().notNull(),
    name: text(),
    status: text(),
    amount: real(),
    currency: text(),
    occurredAt: utcMillis().notNull(),
    receivedAt: utcMillis().notNull(),
    attributes: text({ mode: "json" }).$type<Record<string, unknown>>(),
    /** SHA-256 of the event as it was sent, normalised, as on interactions. */
    contentHash: text(),
    createdAt: createdAt(),
  },
  (t) => [
    // Idempotency: one row per posting system's id.
    uniqueIndex("journey_events_source_external_id_uq").on(t.source, t.externalId),
    // Serves the customer timeline (customer, time order).
    index("journey_events_customer_occurred_idx").on(t.customerId, t.occurredAt),
    // Serves time-window queries across customers.
    index("journey_events_occurred_idx").on(t.occurredAt),
  ],
);
