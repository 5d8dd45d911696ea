import { z } from "zod";
import { momentStatuses, severities } from "../db/schema/index.js";

// What the moment endpoints answer with.

const instant = z.iso.datetime();
const byWhom = z.object({
  by: z.string().meta({ description: "Who: `user:<person id>`, or `key:<api key id>` for a system." }),
  name: z.string().nullable().meta({ description: "Their name when they did it." }),
  at: instant,
});
export const personSchema = z
  .object({
    id: z.string().min(1).max(100).meta({ description: "A person id, e.g. `key:key_01…`." }),
    name: z.string().trim().min(1).max(200).meta({ description: "The name shown for them." }),
  })
  .meta({ id: "Person" });

export const momentSchema = z
  .object({
    id: z.string(),
    customerId: z.string(),
    status: z.enum(momentStatuses),
    severity: z.enum(severities),
    risk: z.number(),
    reasons: z.array(
      z.object({
        code: z.string(),
        text: z.string(),
        weight: z.number(),
        refs: z.array(z.string()).meta({ description: "The interactions and events behind the reason." }),
      }),
    ),
    triggerId: z.string().meta({ description: "The latest journey item the score was computed at." }),
    triggerAt: instant,
    acknowledged: byWhom.nullable(),
    resolved: byWhom.nullable(),
    closed: z
      .object({ reason: z.string().meta({ description: "`quiet`: no new signal for the quiet period." }), at: instant })
      .nullable(),
    assignee: personSchema.nullable(),
    team: z.string().nullable(),
    assignedAt: instant.nullable(),
    snoozedUntil: instant.nullable().meta({ description: "Hidden from the queue views until then." }),
    openedAt: instant.meta({ description: "When the current wait began (creation or the latest re-open)." }),
    channels: z.array(z.string()).meta({ description: "Channels of the interactions behind the reasons." }),
    needs: z.array(z.string()).meta({ description: "Needs of the interactions behind the reasons." }),
    mergedInto: z
      .string()
      .nullable()
      .meta({ description: "The moment a customer merge folded this one into; null while it stands alone." }),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: "Moment" });

export const momentPage = z
  .object({
    items: z.array(momentSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass back as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "MomentPage" });
