import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const webhookEventTypes = [
  "moment.flagged",
  "moment.escalated",
  "moment.resolved",
  "moment.acknowledged",
  "moment.assigned",
  "moment.closed",
  "moment.reopened",
  "interaction.analyzed",
] as const;

/** What a delivery's body looks like: Standard Webhooks JSON, or a message for a chat tool's incoming webhook. */
export const webhookFormats = ["standard", "slack", "teams"] as const;

export const webhooks = sqliteTable("webhooks", {
  id: text().primaryKey(),
  url: text().notNull(),
  events: text({ mode: "json" }).$type<string[]>().notNull(),
  /** Standard Webhooks signing secret (`whsec_…`); shown once, at registration. */
  secret: text().notNull(),
  format: text({ enum: webhookFormats }).notNull().default("standard"),
  createdAt: createdAt(),
  disabledAt: utcMillis(),
});

/** The durable outbox: a delivery is written with the change that causes it and sent until it lands. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text().primaryKey(),
    webhookId: text().notNull(),
    eventType: text().notNull(),
    payload: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text({ enum: ["pending", "delivered", "failed"] }).notNull(),
    attempts: integer().notNull().default(0),
    nextAttemptAt: utcMillis().notNull(),
    lastStatus: integer(),
    lastError: text(),
    createdAt: createdAt(),
    deliveredAt: utcMillis(),
  },
  (t) => [
    // Serves the delivery worker: due pending deliveries.
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    // Serves GET /v1/webhooks/{id}/deliveries.
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.createdAt),
  ],
);
