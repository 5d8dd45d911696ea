import { z } from "zod";
import { webhookDeliveries, webhookEventTypes, webhookFormats } from "../db/schema/index.js";

// What the webhook endpoints take and answer with.

const instant = z.iso.datetime();
export const deliveryStatuses = webhookDeliveries.status.enumValues;

export const registerWebhookSchema = z
  .object({
    url: z.url("must be a URL").max(2000),
    events: z
      .array(z.enum(webhookEventTypes, `must be one of ${webhookEventTypes.join(", ")}`))
      .min(1)
      .max(webhookEventTypes.length),
    format: z
      .enum(webhookFormats, `must be one of ${webhookFormats.join(", ")}`)
      .default("standard")
      .meta({
        description:
          "`standard`: Standard Webhooks JSON, signed. `slack` / `teams`: a message for a Slack or Microsoft Teams incoming webhook (moment events only).",
      }),
  })
  .superRefine((b, ctx) => {
    if (b.format === "standard") return;
    const i = b.events.findIndex((e) => !e.startsWith("moment."));
    if (i >= 0)
      ctx.addIssue({ code: "custom", message: `a ${b.format} webhook takes moment events only`, path: ["events", i] });
  });

export const registeredWebhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(webhookEventTypes)),
    format: z.enum(webhookFormats),
    secret: z.string().meta({ description: "The Standard Webhooks signing secret (`whsec_…`); shown only here." }),
  })
  .meta({ id: "RegisteredWebhook" });

export const webhookList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      url: z.string(),
      events: z.array(z.string()),
      format: z.enum(webhookFormats),
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
