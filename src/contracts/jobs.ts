import { z } from "zod";
import { isoInstant } from "./common.js";
import { interactionChannels } from "./interactions.js";

// What the job endpoints take and answer.

export const reanalysisInputSchema = z
  .object({
    from: isoInstant.optional().meta({ description: "Interactions that occurred at or after this instant." }),
    to: isoInstant.optional().meta({ description: "Interactions that occurred before this instant." }),
    channel: z.array(z.enum(interactionChannels, "must be chat, email, call_note or social")).max(4).optional(),
    dryRun: z.boolean().default(false).meta({
      description:
        "Analyse and report what would change, and store nothing at all: the job lives in the memory of the server process that runs it, and is not resumed after a restart.",
    }),
  })
  .strict()
  .refine((v) => !v.from || !v.to || Date.parse(v.from) < Date.parse(v.to), {
    message: "must be after from",
    path: ["to"],
  })
  .meta({ id: "ReanalysisRequest" });

const count = z.record(z.string(), z.number().int());

export const jobSchema = z
  .object({
    id: z.string(),
    kind: z.literal("reanalysis"),
    status: z.enum(["queued", "running", "done", "failed"]),
    params: z.object({
      from: z.string().optional(),
      to: z.string().optional(),
      channels: z.array(z.string()).optional(),
      dryRun: z.boolean(),
    }),
    progress: z.object({
      processed: z.number().int(),
      total: z.number().int(),
      percent: z.number(),
      perSecond: z.number().nullable().meta({ description: "Interactions per second since the job started." }),
    }),
    summary: z
      .object({
        changed: z.number().int(),
        labelsFlipped: z.number().int(),
        flagsAdded: z.number().int(),
        flagsRemoved: z.number().int(),
        needsGained: count,
        needsLost: count,
        momentsRescored: z.number().int(),
        momentsNoLongerFlagged: z.number().int(),
        versionsBefore: count.meta({ description: "Records done, by the analysis version they were stored with." }),
        versionAfter: z.string().nullable(),
      })
      .meta({ description: "What changed so far (what would change, in a dry run)." }),
    error: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: "Job" });
