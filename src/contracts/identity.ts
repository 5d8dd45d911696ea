import { z } from "zod";
import { identityKinds } from "../db/schema/index.js";
import { trimmed } from "./common.js";

// What the identity administration endpoints take and answer with.

export const identifierInputSchema = z.object({
  kind: z.enum(identityKinds, `must be one of ${identityKinds.join(", ")}`),
  value: trimmed(320),
  platform: trimmed(40)
    .optional()
    .meta({ description: "For handles: the platform (or send the value as `platform:handle`)." }),
});
export type IdentifierInput = z.infer<typeof identifierInputSchema>;

export const unmergeInputSchema = z.object({
  mergeId: z.string().max(100).optional().meta({ description: "Which merge to undo; default the latest." }),
});
export const mergeInputSchema = z.object({
  customerId: z.string().min(1).max(100).meta({ description: "The customer merged into this one." }),
});
export const splitInputSchema = z
  .object({
    identifiers: z.array(identifierInputSchema).max(100).default([]),
    interactions: z.array(z.string().min(1)).max(10_000).default([]),
    events: z.array(z.string().min(1)).max(10_000).default([]),
    displayName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((s) => s.identifiers.length + s.interactions.length + s.events.length > 0, {
    message: "name identifiers, interactions or events to split off",
    path: ["identifiers"],
  });

const identifier = z.object({
  kind: z.enum(identityKinds),
  value: z.string().meta({ description: "Normalised: the form stored and matched." }),
});
const moved = z.object({ identities: z.number().int(), interactions: z.number().int(), events: z.number().int() });

export const identityHistorySchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      action: z
        .string()
        .meta({ description: "merge, merged_into, unmerge, link, split, split_from, cap, erased, ..." }),
      rule: z.string().nullable(),
      details: z.record(z.string(), z.unknown()).meta({ description: "The evidence and what moved." }),
      mergeId: z.string().nullable(),
      actor: z.string().meta({ description: "`user:<id>`, `key:<id>`, `cli`, or `system` (ingest's identity rules)." }),
      actorName: z.string().meta({ description: "The person's display name or the key's name, as they are now." }),
      at: z.iso.datetime(),
    }),
  ),
});
export const unmergeResult = z.object({
  mergeId: z.string(),
  restored: z.string().meta({ description: "The customer brought back." }),
  moved,
});
export const mergeResult = z.object({ mergeId: z.string(), survivor: z.string(), merged: z.string() });
export const linkResult = z.object({
  linked: z.boolean().meta({ description: "False when the customer already had it." }),
  identifier,
});
export const splitResult = z.object({ customerId: z.string().meta({ description: "The new customer." }), moved });
