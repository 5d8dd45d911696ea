import { z } from "zod";

// Shapes of the JSON files in lexicons/. They are validated when loaded so a bad edit fails at
// start-up with the file and field named, not as a wrong score later.

const weight = z.number().gt(0).max(1);
const weights = z.record(z.string().min(1), weight);
const regexSource = z.string().refine((s) => {
  try {
    new RegExp(s, "i");
    return true;
  } catch {
    return false;
  }
}, "must be a valid regular expression");

export const sentimentFileSchema = z.object({
  words: z.record(z.string(), z.number().min(-5).max(5)),
  phrases: z.record(z.string(), z.number().min(-5).max(5)),
  patterns: z.array(
    z.object({
      id: z.string().min(1),
      valence: z.number().min(-5).max(5),
      reason: z.string().min(1),
      regex: regexSource,
    }),
  ),
  intensifiers: z.record(z.string(), z.number().min(0).max(2)),
  downtoners: z.record(z.string(), z.number().min(-1).max(0)),
  negators: z.array(z.string().min(1)),
  /** Words that negate the word before them (Korean 않다 after 좋지). */
  negatorsAfter: z.array(z.string().min(1)).default([]),
  contrast: z.object({ after: z.array(z.string()), before: z.array(z.string()) }),
  emoticons: z.record(z.string(), z.number().min(-5).max(5)),
  labels: z.object({ positive: z.number().min(0).max(1), negative: z.number().min(-1).max(0) }),
});

const cueSet = z.object({ terms: weights, patterns: z.record(regexSource, weight).default({}) });

export const emotionsFileSchema = z.object({
  emotions: z.record(z.string().regex(/^[a-z_]+$/), cueSet.extend({ label: z.string().min(1) })),
});

export const topicsFileSchema = z.object({
  minScore: weight,
  topics: z.array(z.object({ id: z.string().regex(/^[a-z_]+$/), label: z.string().min(1), terms: weights })).min(1),
});

export const needsFileSchema = z.object({
  minConfidence: weight,
  needs: z
    .array(
      cueSet.extend({
        id: z.string().regex(/^[a-z_]+$/),
        label: z.string().min(1),
        requiresNegative: z.boolean().default(false),
        requiresPositive: z.boolean().default(false),
      }),
    )
    .min(1),
});

/** Regular expressions over a lower-cased sentence, each with a weight. */
const patternWeights = z.record(regexSource, weight).default({});

/**
 * Cue classes that decide what the learned layer's probabilities mean for one message
 * (src/analysis/message-cues.ts): a failure stated flatly, distress the company did not cause, a
 * problem said not to exist, an agent's own courtesy, a plain question.
 */
export const messageCuesSchema = z.object({
  /** Need ids, each with the confidence from which its finding states that something of the company's failed. */
  failureNeeds: z.record(z.string().min(1), weight).default({}),
  /** The same for needs that state a failure when reported, not when asked about ("can I freeze my card?"). */
  reportedNeeds: z.record(z.string().min(1), weight).default({}),
  /** A plain question is made neutral only where no customer sentence scores below this (no negative words). */
  questionMinScore: z.number().min(-1).max(0).default(-1),
  /**
   * Channels where a plain question lowers the complaint risk: in a chat or an email it is a request,
   * while a question put to a brand in public is as often a complaint ("@brand where is my bag?").
   */
  questionChannels: z.array(z.enum(["chat", "email", "social", "call_note", "text"])).default([]),
  /** Words of courtesy ("thank you", "please"): a message positive through these alone is not praise. */
  courtesyWords: z.array(z.string().min(1)).default([]),
  failure: patternWeights,
  resolved: patternWeights,
  circumstance: patternWeights,
  problemFree: patternWeights,
  disclaimer: patternWeights,
  agent: patternWeights,
  question: patternWeights,
  courtesy: patternWeights,
  /** Multipliers of the complaint probability when the class decides the message. */
  factors: z
    .object({
      resolved: weight,
      circumstance: weight,
      problemFree: weight,
      disclaimer: weight,
      agent: weight,
      question: weight,
      courtesy: weight,
    })
    .partial()
    .default({}),
});

export const complaintFileSchema = z.object({
  threshold: weight,
  signals: z.record(z.string(), z.object({ weight, reason: z.string().min(1) })),
  longWaitSeconds: z.object({ chat: z.number().positive(), call_note: z.number().positive() }),
  cues: messageCuesSchema.optional(),
});

export const piiKinds = [
  "email",
  "card",
  "iban",
  "account_number",
  "ssn",
  "national_id",
  "sort_code",
  "date_of_birth",
  "phone",
  "address",
] as const;
export type PiiKind = (typeof piiKinds)[number];

export const piiFileSchema = z.object({
  kinds: z.record(z.enum(piiKinds), z.object({ redact: z.boolean(), mask: z.string().min(1) })),
});

export const languagesFileSchema = z.object({
  minWords: z.number().int().min(1),
  languages: z
    .record(z.string().regex(/^[a-z]{2}$/), z.array(z.string().min(1)))
    .refine((l) => "en" in l, "must include en"),
});

/** A word list derived from a public lexicon (lexicons/<lang>/sentiment-<source>.json): where it comes from, its license, its words. */
export const baseWordsFileSchema = z.object({
  $source: z.string().min(1),
  $license: z.string().min(1),
  words: z.record(z.string(), z.number().min(-5).max(5)),
  phrases: z.record(z.string(), z.number().min(-5).max(5)).default({}),
});

/** One fully analysed language's files (lexicons/<code>/), in the English files' shapes. */
export interface LocaleSources {
  sentiment: z.infer<typeof sentimentFileSchema>;
  /** Derived public word lists, layered under `sentiment` (its own words win). */
  base: Array<z.infer<typeof baseWordsFileSchema>>;
  emotions: z.infer<typeof emotionsFileSchema>;
  topics: z.infer<typeof topicsFileSchema>;
  needs: z.infer<typeof needsFileSchema>;
  /** Risk reasons in the language's own words; the same signal codes as the English file. */
  complaint: z.infer<typeof complaintFileSchema>;
  /** For inflected languages: base words by stem, looked up when the word itself is not listed. */
  stem?: (word: string) => string;
  /** Chinese: simplified character → its traditional forms (lexicons/zh/script-variants.json). */
  scriptVariants?: Record<string, string>;
  /** The language's learned model (lexicons/<code>/model.json), validated, compiled with the pack. */
  model?: unknown;
}

export const scriptVariantsFileSchema = z.object({
  $source: z.string(),
  $license: z.string(),
  variants: z.record(z.string().length(1), z.string().min(1)),
});

/** The lexicon files, as validated JSON, plus the base word lists shipped with the `sentiment` package. */
export interface LexiconSources {
  sentiment: z.infer<typeof sentimentFileSchema>;
  emotions: z.infer<typeof emotionsFileSchema>;
  topics: z.infer<typeof topicsFileSchema>;
  needs: z.infer<typeof needsFileSchema>;
  complaint: z.infer<typeof complaintFileSchema>;
  pii: z.infer<typeof piiFileSchema>;
  languages: z.infer<typeof languagesFileSchema>;
  /** AFINN-165 word valences. */
  afinn: Record<string, number>;
  /** Other languages scored for sentiment: their own file and base word list (from `natural`). */
  extraSentiment: Record<
    string,
    { file: z.infer<typeof sentimentFileSchema>; base: Record<string, number>; stem: (word: string) => string }
  >;
  /** Emoji valences (Emoji Sentiment Ranking). */
  emoji: Record<string, number>;
}

export const lexiconFileSchemas = {
  sentiment: sentimentFileSchema,
  emotions: emotionsFileSchema,
  topics: topicsFileSchema,
  needs: needsFileSchema,
  complaint: complaintFileSchema,
  pii: piiFileSchema,
  languages: languagesFileSchema,
} as const;
