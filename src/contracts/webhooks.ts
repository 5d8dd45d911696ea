import { z } from "zod";
import { webhookDeliveries, webhookEventTypes } from "../db/schema/index.js";

// What the webhook endpoints take and answer with.

const instant = z.iso.datetime();
export const deliveryStatuses = webhookDeliveries.status.enumValues;

export const registerWebhookSchema = z.object({
  url: z.url("must be a URL").max(2000),
  events: z
    .array(z.enum(webhookEventTypes, `must be one of ${webhookEventTypes.join(", ")}`))
    .min(1)
    .max(webhookEventTypes.length),
});

export const registeredWebhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    secret: z.string().meta({ description: "The Standard Webhooks signing secret (`whsec_…`); shown only here." }),
  })
  .meta({ id: "RegisteredWebhook" });

export const webhookList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      url: z.string(),
      events: z.array(z.string()),
      createdAt: instant,
      disabled: z.boolean(),
    }),
  ),
});

export const deliveryList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      eventType: z.string(),
      status: z.enum(deliveryStatuses),
      attempts: z.number().int(),
      lastStatus: z.number().int().nullable().meta({ description: "The receiver's last HTTP status." }),
      lastError: z.string().nullable(),
      createdAt: instant,
      deliveredAt: instant.nullable(),
      nextAttemptAt: instant.nullable().meta({ description: "When a pending delivery is tried next." }),
    }),
  ),
});
