import { z } from "zod";
import { conflictStatuses } from "../db/schema/index.js";

// What the identity-conflict endpoints answer with.

const instant = z.iso.datetime();
const side = z.object({
  id: z.string(),
  label: z.string().meta({ description: "The customer's name, else their best identifier." }),
});

export const identityConflictSchema = z
  .object({
    id: z.string(),
    status: z.enum(conflictStatuses),
    customer: side.meta({ description: "The customer the record was linked to." }),
    other: side.meta({ description: "The customer it was not merged with, because an unmerge separated them." }),
    evidence: z
      .record(z.string(), z.unknown())
      .meta({ description: "The identifiers and the latest record that named both; `records` counts them." }),
    createdAt: instant,
    reviewed: z.object({ by: z.string(), at: instant }).nullable(),
  })
  .meta({ id: "IdentityConflict" });

export const identityConflictPage = z.object({
  items: z.array(identityConflictSchema),
  nextCursor: z.string().nullable(),
});
