import { z } from "zod";
import { problemBodySchema } from "../lib/problem.js";
import { analysisResultSchema } from "./analysis.js";
import { channels } from "../db/schema/interactions.js";

// What the ingest endpoints answer with, and the stored records read back by id.

const batchEnvelopes = new Map<string, z.ZodObject<{ items: z.ZodArray<z.ZodUnknown> }>>();

/**
 * A batch body holding at most `max` items. The envelope is all that is validated here: each item is
 * validated by the ingest service and answered in its own result, so one bad item never refuses the
 * batch. The document shows the items as `itemSchemaId`. One schema per limit and kind, made once: zod
 * compiles each new object schema into a function of its own, which V8 then compiled afresh for every
 * batch request.
 */
export function batchEnvelope(max: number, itemSchemaId: "InteractionInput" | "JourneyEventInput") {
  const key = `${itemSchemaId}:${max}`;
  let schema = batchEnvelopes.get(key);
  if (!schema) {
    schema = z.object({
      items: z
        .array(z.unknown())
        .min(1, "must hold at least one item")
        .max(max, `must hold at most ${max} items`)
        .meta({
          items: { $ref: `#/components/schemas/${itemSchemaId}` },
          description: "Each item is validated on its own and answered in its own result.",
        }),
    });
    batchEnvelopes.set(key, schema);
  }
  return schema;
}

export const createdResponse = z
  .object({
    id: z.string(),
    customerId: z.string().meta({ description: "The customer the record was linked to." }),
    status: z.enum(["created", "existing"]),
  })
  .meta({ id: "Created" });

export const batchResponse = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        status: z.union([z.literal(201), z.literal(200), z.literal(409), z.literal(422)]).meta({
          description:
            "201 created, 200 already stored with the same content (a retry), 409 already stored with other content (nothing changed), 422 invalid.",
        }),
        id: z
          .string()
          .optional()
          .meta({ description: "The stored record; for a 409, the record already holding the (source, externalId)." }),
        customerId: z.string().optional(),
        problem: problemBodySchema.optional().meta({ description: "Why the item was refused (status 409 or 422)." }),
      }),
    ),
    created: z.number().int(),
    existing: z.number().int(),
    failed: z.number().int().meta({ description: "Items refused: 409 and 422." }),
  })
  .meta({ id: "BatchResult" });

const instant = z.iso.datetime();
const freeJson = z.record(z.string(), z.unknown());

export const storedInteraction = z
  .object({
    id: z.string(),
    source: z.string(),
    externalId: z.string(),
    channel: z.enum(channels),
    customerId: z.string(),
    occurredAt: instant,
    receivedAt: instant,
    subject: z.string().nullable(),
    text: z.string().meta({ description: "The customer-facing text as stored (redacted when REDACT_PII is on)." }),
    turns: z.array(z.object({ speaker: z.string(), text: z.string(), at: z.string().optional() })).nullable(),
    channelData: freeJson.meta({
      description: "Channel-specific fields (queue, wait seconds, email headers, platform, ...).",
    }),
    metadata: freeJson.nullable(),
    analysis: analysisResultSchema.nullable(),
    analysisVersion: z.string().nullable(),
    sentimentScore: z.number().nullable(),
    complaintRisk: z.number().nullable(),
    flagged: z.boolean(),
    createdAt: instant,
  })
  .meta({ id: "Interaction" });

export const storedEvent = z
  .object({
    id: z.string(),
    source: z.string(),
    externalId: z.string(),
    customerId: z.string(),
    type: z.string(),
    name: z.string().nullable(),
    status: z.string().nullable(),
    amount: z.number().nullable(),
    currency: z.string().nullable(),
    occurredAt: instant,
    receivedAt: instant,
    attributes: freeJson.nullable(),
    createdAt: instant,
  })
  .meta({ id: "JourneyEvent" });
