import { z } from "zod";
import { analysisSummarySchema } from "./analysis.js";

// What the customer endpoints answer with.

const instant = z.iso.datetime();
const identifier = z.object({ kind: z.string(), value: z.string() });

export const customerCard = z
  .object({
    id: z.string(),
    displayName: z.string().nullable(),
    lastContactAt: instant.nullable(),
    identifiers: z.array(identifier),
  })
  .meta({ id: "CustomerCard" });

/** A merged customer lives on in its survivor; reads of it point there (307, since a merge can be undone). */
export const mergedCustomer = z
  .object({
    id: z.string(),
    mergedInto: z.string().meta({ description: "The surviving customer; Location points at the same resource on it." }),
  })
  .meta({ id: "MergedCustomer" });

const trend = z.object({ average: z.number().nullable(), interactions: z.number().int() });

export const customerProfileSchema = z
  .object({
    id: z.string(),
    displayName: z.string().nullable(),
    createdAt: instant,
    identifiers: z.array(identifier),
    firstContactAt: instant.nullable(),
    lastContactAt: instant.nullable(),
    channels: z.record(z.string(), z.number().int()).meta({ description: "Interactions per channel." }),
    contacts: z.object({ interactions: z.number().int(), events: z.number().int(), flagged: z.number().int() }),
    sentimentTrend: z.object({ days7: trend, days30: trend, days90: trend }),
    openNeeds: z.array(z.object({ id: z.string(), label: z.string(), lastSeenAt: instant, interactionId: z.string() })),
    latestRisk: z
      .object({
        interactionId: z.string(),
        occurredAt: instant,
        risk: z.number(),
        flagged: z.boolean(),
        reasons: z.array(z.string()),
      })
      .nullable(),
  })
  .meta({ id: "CustomerProfile" });

const timelineItem = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("interaction"),
    id: z.string(),
    occurredAt: instant,
    channel: z.string(),
    summary: z.string(),
    analysis: analysisSummarySchema.nullable(),
  }),
  z.object({
    kind: z.literal("event"),
    id: z.string(),
    occurredAt: instant,
    type: z.string(),
    name: z.string().nullable(),
    status: z.string().nullable(),
    amount: z.number().nullable(),
    currency: z.string().nullable(),
    attributes: z.record(z.string(), z.unknown()).nullable(),
    summary: z.string(),
  }),
  z.object({
    kind: z.literal("moment"),
    id: z.string(),
    occurredAt: instant.meta({ description: "When the record that triggered the moment occurred." }),
    severity: z.string(),
    status: z.string(),
    risk: z.number(),
    triggerId: z.string(),
    reasons: z.array(z.object({ code: z.string(), text: z.string(), refs: z.array(z.string()) })),
    summary: z.string(),
  }),
]);

export const timelinePage = z
  .object({
    items: z.array(timelineItem),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass back as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "TimelinePage" });

export const erasureResult = z
  .object({
    erased: z.object({
      interactions: z.number().int(),
      events: z.number().int(),
      identities: z.number().int(),
      moments: z.number().int().meta({
        description: "Moments removed (all of the customer's, or those the erased records alone had flagged).",
      }),
      momentsRescored: z
        .number()
        .int()
        .meta({ description: "Moments scored again from the records that remain (time-range erasure)." }),
      deliveries: z.number().int().meta({ description: "Webhook deliveries removed, pending or sent." }),
      verdicts: z
        .number()
        .int()
        .meta({ description: "Agents' verdicts on the erased records and moments removed, history included." }),
      customer: z.boolean().meta({ description: "Whether the customer itself was removed." }),
    }),
  })
  .meta({ id: "Erasure" });
