import { z } from "zod";
import { verdictSubjects, verdictValues } from "../db/schema/verdicts.js";
import { freeText } from "./common.js";

// What the verdict endpoints take and answer.

const instant = z.iso.datetime();

export const verdictInputSchema = z
  .object({
    verdict: z.enum(verdictValues, "must be confirmed, false_alarm or missed").meta({
      description:
        "`confirmed`: rightly flagged. `false_alarm`: wrongly flagged. `missed`: an interaction that was not flagged but should have been.",
    }),
    reason: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,59}$/, "must be a reason code, e.g. negative_sentiment")
      .optional()
      .meta({ description: "One of the flag's own reason codes: the one that made it right or wrong." }),
    note: freeText(1000)
      .optional()
      .meta({ description: "Free text; personal data in it is masked before it is stored." }),
  })
  .strict()
  .meta({ id: "VerdictInput" });
export type VerdictInput = z.infer<typeof verdictInputSchema>;

export const verdictSchema = z
  .object({
    id: z.string(),
    subject: z.object({ kind: z.enum(verdictSubjects), id: z.string() }),
    customerId: z.string(),
    verdict: z.enum(verdictValues),
    reason: z.string().nullable(),
    note: z.string().nullable().meta({ description: "As stored: personal data masked." }),
    by: z.object({
      id: z.string().meta({ description: "`user:<person id>`, or `key:<api key id>` for a system." }),
      name: z.string().meta({ description: "The person's name (or the key's) when they gave it." }),
      via: z.enum(["api", "console"]),
    }),
    at: instant,
    current: z.boolean().meta({ description: "False once the same person gave a later verdict on the same subject." }),
    supersededAt: instant.nullable(),
    flag: z
      .object({
        flagged: z.boolean(),
        risk: z.number(),
        severity: z.string().nullable(),
        channel: z.string().nullable(),
        reasons: z.array(z.string()).meta({ description: "The flag's reason codes when it was judged." }),
        raisedAt: instant,
        rulesVersion: z.string().nullable(),
      })
      .meta({ description: "The flag as it stood when it was judged." }),
  })
  .meta({ id: "Verdict" });
export type VerdictView = z.infer<typeof verdictSchema>;

export const verdictPage = z
  .object({
    items: z.array(verdictSchema),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass back as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "VerdictPage" });
