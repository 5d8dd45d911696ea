import { z } from "zod";
import { severities } from "../db/schema/index.js";
import { momentSchema, personSchema } from "./moments.js";

// What the work-queue endpoints take and answer with.

const instant = z.iso.datetime();
/** Team names are short slugs, so they read well in a URL and a Slack message. */
export const teamName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,49}$/, "must be 1–50 lower-case letters, digits, - or _")
  .meta({ description: "A team's name: lower-case letters, digits, - and _.", example: "payments" });

export const assignSchema = z
  .object({
    person: personSchema
      .nullable()
      .optional()
      .meta({ description: "Who holds the moment; null takes it from whoever holds it; absent: unchanged." }),
    team: teamName.nullable().optional().meta({ description: "The team whose queue it sits in; null takes it out." }),
  })
  .refine((b) => b.person !== undefined || b.team !== undefined, {
    message: "name a person, a team or both",
    path: ["person"],
  });

export const snoozeSchema = z.object({
  until: z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone" })
    .transform((s) => new Date(s))
    .meta({ description: "When the moment comes back to the queue (within 30 days)." }),
});

export const ackStateSchema = z.object({
  targetMinutes: z.number().int().meta({ description: "The target for the moment's severity." }),
  dueAt: instant,
  waitedSeconds: z
    .number()
    .int()
    .meta({ description: "From the start of the wait to the first response, or until now." }),
  responded: z.boolean(),
  breached: z.boolean().meta({ description: "The first response came, or is still owed, after dueAt." }),
});

export const queueItemSchema = momentSchema
  .extend({
    customer: z.object({
      id: z.string(),
      name: z.string().nullable(),
      label: z.string().meta({ description: "The name, else the best identifier (an email before a CRM id)." }),
    }),
    ack: ackStateSchema,
  })
  .meta({ id: "QueueItem" });

export const queuePageSchema = z
  .object({
    items: z.array(queueItemSchema),
    total: z.number().int().meta({ description: "Moments in the view with its filters (all pages)." }),
    breached: z.number().int().meta({ description: "Of those, how many are past their time-to-acknowledge target." }),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: "QueuePage" });

export const ackReportSchema = z
  .object({
    from: instant,
    to: instant,
    breached: z.number().int(),
    items: z.array(
      z.object({
        severity: z.enum(severities),
        targetMinutes: z.number().int(),
        moments: z.number().int(),
        responded: z.number().int(),
        breached: z.number().int().meta({ description: "Answered after the target, or still waiting past it." }),
        waitingPastTarget: z.number().int(),
        meanMinutesToRespond: z.number().nullable(),
      }),
    ),
  })
  .meta({ id: "AckReport" });

export const teamList = z.object({
  items: z.array(z.object({ name: z.string(), members: z.array(personSchema) })),
});

export const teamMemberSchema = z.object({ team: z.string(), person: personSchema });
