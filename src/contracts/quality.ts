import { z } from "zod";

// What GET /v1/quality answers: how good flags were, measured from agents' verdicts.

export const estimateSchema = z
  .object({
    n: z.number().int().meta({ description: "Trials: the verdicts this proportion is measured from." }),
    hits: z.number().int(),
    value: z.number().nullable().meta({ description: "hits / n; null when n is 0." }),
    low: z.number().nullable().meta({ description: "Lower end of the 95 % Wilson interval." }),
    high: z.number().nullable().meta({ description: "Upper end of the 95 % Wilson interval." }),
  })
  .meta({ id: "Estimate" });

const kind = z.enum(["moment", "interaction"]);
const atThreshold = z.object({
  threshold: z.number(),
  judgedFlags: z.number().int().meta({ description: "Judged subjects this threshold flags." }),
  precision: estimateSchema,
  recall: estimateSchema.meta({
    description: "Confirmed over confirmed plus missed: an upper bound, since only reported misses are seen.",
  }),
});

export const qualitySchema = z
  .object({
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    bucket: z.enum(["week", "month"]),
    buckets: z.array(z.string()).meta({ description: "Each bucket's start (a week's Monday, or a month)." }),
    flagsRaised: z.object({ interactions: z.number().int(), moments: z.number().int() }),
    verdicts: z.object({
      subjects: z
        .number()
        .int()
        .meta({ description: "Flags and interactions judged; the latest current verdict on each counts once." }),
      confirmed: z.number().int(),
      falseAlarm: z.number().int(),
      missed: z.number().int(),
    }),
    coverage: estimateSchema.meta({ description: "Judged flags over flags raised." }),
    precision: z.object({
      interaction: estimateSchema,
      moment: estimateSchema,
      byBucket: z.object({ interaction: z.array(estimateSchema), moment: z.array(estimateSchema) }),
      byChannel: z.array(z.object({ kind, channel: z.string().nullable(), precision: estimateSchema })),
      bySeverity: z.array(z.object({ severity: z.string(), precision: estimateSchema })),
      byReason: z.array(
        z.object({
          kind,
          code: z.string(),
          precision: estimateSchema.meta({ description: "Precision of the judged flags that carried this reason." }),
          namedOnConfirmed: z.number().int().meta({ description: "Confirmed verdicts that named this reason." }),
          namedOnFalseAlarm: z
            .number()
            .int()
            .meta({ description: "False alarms that named this reason as the one that misled." }),
        }),
      ),
    }),
    missed: z.object({
      total: z.number().int(),
      byBucket: z.array(z.number().int()),
      byChannel: z.array(z.object({ channel: z.string(), n: z.number().int() })),
    }),
    current: z
      .object({ interaction: atThreshold, moment: atThreshold })
      .meta({ description: "The thresholds in force, measured on the window's verdicts." }),
    versions: z
      .object({
        interactions: z.array(
          z.object({ version: z.string().nullable(), interactions: z.number().int(), flagged: z.number().int() }),
        ),
        moments: z.array(z.object({ version: z.string(), moments: z.number().int() })),
        verdicts: z.array(z.object({ kind: z.string(), version: z.string().nullable(), n: z.number().int() })),
      })
      .meta({
        description:
          "Which analysis and rules versions produced the window's flags and the judged ones: more than one means the figures mix versions.",
      }),
  })
  .meta({ id: "Quality" });
