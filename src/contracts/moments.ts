import { z } from "zod";
import { momentStatuses, severities } from "../db/schema/index.js";

// What the moment endpoints answer with.

const instant = z.iso.datetime();
const byWhom = z.object({
  by: z.string().meta({ description: "Who: `user:<person id>`, or `key:<api key id>` for a system." }),
  name: z.string().meta({ description: "Their name when they did it." }),
  at: instant,
});

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
