import { z } from "zod";
import { piiKinds } from "../analysis/lexicon-schema.js";
import type { AnalysisResult } from "../analysis/types.js";
import { turnSchema } from "./interactions.js";

// What /v1/analyze takes and what it, and a stored interaction, answer with. The engine's own types
// (src/analysis/types.ts) stay free of zod; the check at the end keeps the two in step.

export const analyzeRequestSchema = z
  .object({
    channel: z
      .enum(["chat", "email", "call_note", "social", "text"], "must be one of chat, email, call_note, social, text")
      .default("text"),
    subject: z.string().max(1000).optional(),
    text: z.string().trim().min(1, "must not be empty").max(200_000).optional(),
    turns: z.array(turnSchema).min(1).max(5000).optional(),
    context: z
      .object({
        waitSeconds: z.number().min(0).optional(),
        holdSeconds: z.number().min(0).optional(),
        public: z.boolean().optional(),
      })
      .optional(),
  })
  .refine((v) => v.text !== undefined || v.turns !== undefined, { message: "send text, turns or both", path: ["text"] })
  .meta({ id: "AnalyzeRequest" });

const speaker = z.enum(["customer", "agent", "bot"]);
const label = z.enum(["positive", "neutral", "negative"]);
const driver = z.object({
  term: z.string().meta({ description: "The words as written." }),
  weight: z.number().meta({ description: "Contribution to the sentence's raw score (AFINN scale, after modifiers)." }),
  rules: z.array(z.string()).meta({
    description:
      "Rules that shaped it: negated, intensified, downtoned, caps, contrast-before, contrast-after, phrase, or a pattern id.",
  }),
  reason: z.string().optional(),
});
const scored = { score: z.number(), label };
/** The overall sentiment, which a text in a language Earshot does not analyse does not have. */
const overall = {
  score: z
    .number()
    .nullable()
    .meta({ description: "From −1 to 1; null when the text was not analysed (`language.analysed: false`)." }),
  label: z
    .enum(["positive", "neutral", "negative", "not_analysed"])
    .meta({ description: "`not_analysed` for a text in a language Earshot does not analyse: never a neutral score." }),
};

export const analysisResultSchema = z
  .object({
    version: z.string(),
    language: z.object({
      code: z.string(),
      confidence: z.number(),
      analysed: z.boolean(),
      scope: z.enum(["full", "sentiment", "none"]).meta({
        description: "Every signal (English), sentiment and risk only (languages with a sentiment lexicon), or none.",
      }),
    }),
    sentiment: z.object({
      ...overall,
      sentences: z.array(
        z.object({
          text: z.string(),
          ...scored,
          speaker: speaker.optional(),
          turn: z.number().int().optional(),
          drivers: z.array(driver),
        }),
      ),
    }),
    speakers: z.partialRecord(speaker, z.object({ ...scored, turns: z.number().int() })).optional(),
    trajectory: z
      .object({
        start: z.number(),
        end: z.number(),
        lowest: z.object({ score: z.number(), turn: z.number().int() }),
        trend: z.enum(["improving", "worsening", "stable"]),
      })
      .optional(),
    turns: z.array(z.object({ index: z.number().int(), speaker, ...scored, drivers: z.array(driver) })).optional(),
    emotions: z.array(
      z.object({ id: z.string(), label: z.string(), score: z.number(), evidence: z.array(z.string()) }),
    ),
    topics: z.array(
      z.object({
        id: z.string(),
        label: z.string(),
        score: z.number(),
        sentiment: z.number().nullable(),
        evidence: z.array(z.string()),
      }),
    ),
    keyPhrases: z.array(z.string()),
    needs: z.array(
      z.object({ id: z.string(), label: z.string(), confidence: z.number(), evidence: z.array(z.string()) }),
    ),
    complaint: z.object({
      risk: z.number(),
      flagged: z.boolean(),
      threshold: z.number(),
      reasons: z.array(
        z.object({
          code: z.string(),
          text: z.string(),
          weight: z.number().meta({ description: "This reason's share of the risk (its weight times strength)." }),
        }),
      ),
    }),
    pii: z.array(z.object({ kind: z.enum(piiKinds), count: z.number().int() })),
  })
  .meta({ id: "AnalysisResult", description: "The analysis of one text or transcript. Texts in it are redacted." });

// Compile-time: the engine's result is exactly what the schema documents, both ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const analysisTypesAgree: Same<z.infer<typeof analysisResultSchema>, AnalysisResult> = true;
void analysisTypesAgree;

/** The parts of a stored analysis an agent sees on a timeline or in search results. */
export const analysisSummarySchema = z
  .object({
    language: z.object({ code: z.string(), analysed: z.boolean() }).meta({
      description:
        "The text's language, and whether Earshot read its words (`analysed: false`: only journey and language-free signals count).",
    }),
    sentiment: z.object(overall),
    emotions: z.array(z.object({ id: z.string(), score: z.number() })),
    topics: z.array(z.object({ id: z.string(), sentiment: z.number().nullable() })),
    needs: z.array(z.object({ id: z.string(), confidence: z.number() })),
    complaint: z.object({ risk: z.number(), flagged: z.boolean(), reasons: z.array(z.string()) }),
    trajectory: analysisResultSchema.shape.trajectory,
  })
  .meta({ id: "AnalysisSummary" });
