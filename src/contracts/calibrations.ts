import { z } from "zod";
import { calibrationStatuses } from "../db/schema/index.js";
import { momentRulesSchema } from "../journeys/journey-risk.js";

// What the calibration endpoints take and answer.

const instant = z.iso.datetime();

export const proposeInputSchema = z
  .object({
    days: z
      .number()
      .int()
      .min(1)
      .max(365)
      .default(30)
      .meta({ description: "Fit on the verdicts on flags raised in the last N days, and measure the effect on them." }),
    keepRecall: z.number().min(0.5).max(1).default(0.95).meta({
      description: "Share of the recall in force to keep: the new threshold is the most precise one that keeps it.",
    }),
  })
  .strict()
  .meta({ id: "CalibrationRequest" });

const probabilityMap = z.union([
  z.object({ method: z.literal("platt"), a: z.number(), b: z.number() }),
  z.object({ method: z.literal("isotonic"), xs: z.array(z.number()), ps: z.array(z.number()) }),
  z
    .object({
      method: z.literal("logistic"),
      intercept: z.number(),
      slope: z.number().meta({ description: "The weight of the logit of the stored risk." }),
      covariates: z.record(z.string(), z.number()).meta({
        description:
          "Each covariate's shift of the logit when present: `channel:<channel>`, `reason:<complaint reason code>`, `need:<need id>`.",
      }),
    })
    .meta({ description: "p = σ(intercept + slope · logit(risk) + Σ covariates present)" }),
]);

const auditEntry = z.object({
  action: z.enum(["proposed", "activated", "rolled_back"]),
  by: z
    .string()
    .meta({ description: "`user:<id>` for a person, `key:<id>` for a system, `cli` for the command line." }),
  byName: z.string().meta({ description: "The person's display name or the key's name, as they are now." }),
  at: instant,
  calibrationId: z
    .string()
    .nullable()
    .meta({ description: "The calibration put in force or proposed; null: the shipped rules." }),
  previousId: z.string().nullable().meta({ description: "What was in force before; null: the shipped rules." }),
});

export const calibrationSchema = z
  .object({
    id: z.string(),
    version: z.string().meta({
      description: "`c1`, `c2`, …: named by the analyses (`<lexicons>+c2`) and moments (`c2:<hash>`) it produced.",
    }),
    status: z.enum(calibrationStatuses),
    windowDays: z.number().int(),
    complaint: z
      .object({
        map: probabilityMap,
        threshold: z
          .number()
          .meta({ description: "Interactions are flagged at this calibrated probability or above." }),
      })
      .nullable()
      .meta({
        description:
          "Complaint probability from an interaction's risk; null: too few verdicts, what is in force stays.",
      }),
    momentRules: momentRulesSchema.nullable().meta({
      description:
        "Moment rules in the format of lexicons/moments.json; null: too few verdicts, what is in force stays.",
    }),
    fit: z.record(z.string(), z.unknown()).meta({
      description:
        "Verdict counts, the minimum, both probability methods measured and the one chosen, and why a part was not fitted.",
    }),
    effect: z.record(z.string(), z.unknown()).meta({
      description:
        "On the window: flags before and after, precision and recall before and after (Wilson), severity mix, reasons gaining and losing weight.",
    }),
    createdBy: z.string(),
    createdByName: z.string(),
    createdAt: instant,
    activated: z.object({ by: z.string(), byName: z.string(), at: instant }).nullable(),
    audit: z.array(auditEntry),
  })
  .meta({ id: "Calibration" });

export const calibrationList = z
  .object({
    active: z
      .object({ id: z.string(), version: z.string() })
      .nullable()
      .meta({ description: "The calibration in force; null: the shipped rules." }),
    items: z.array(calibrationSchema),
    audit: z.array(auditEntry).meta({ description: "The latest 200 proposals, activations and rollbacks." }),
  })
  .meta({ id: "CalibrationList" });

export const rollbackResult = z
  .object({
    active: calibrationSchema.nullable().meta({ description: "What is in force now; null: the shipped rules." }),
  })
  .meta({ id: "CalibrationRollback" });
