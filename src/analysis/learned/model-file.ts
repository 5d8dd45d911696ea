import { z } from "zod";
import { FIXED_DENSE } from "./dense.js";

// The trained model as committed (lexicons/model-en.json): sparse, quantised weights per head,
// each head's calibration and operating point, and the data sets it was trained on with their licenses.

export const MODEL_FORMAT = "earshot-model/1";
export const REQUIRED_HEADS = ["complaint", "sentiment:negative", "sentiment:neutral", "sentiment:positive"] as const;
/**
 * Heads a language pack's model must have. Its complaint risk comes from the language's rules fed the
 * learned sentiment, and its data sets may be binary (reviews), so only the positive head is required:
 * without a negative head it is 1 - positive, without a neutral one the label comes from the score.
 */
export const PACK_REQUIRED_HEADS = ["sentiment:positive"] as const;
export const MODEL_LANGUAGES = ["en", "es", "zh", "ko"] as const;

/**
 * How text becomes hashed features. English (the default): word 1–2 grams and character 2–5 grams
 * inside each word. `chars: "run"` takes the character n-grams across the words of a run of words
 * (a space between words is an edge mark), which suits Chinese, where a word cut by the segmenter is
 * one guess among several, and Korean, where a stem and its ending are one word. `key: "text"` hashes
 * the word as written (lower-cased) rather than the lexicon key the language reads it as (Korean reads
 * 늦어요 as 늦, which would lose the ending the model can learn from). `terms: "drivers"` keeps only
 * the features of words the language's rules read as opinion (and the bigrams and character runs that
 * start in them): a review domain's own nouns and function words ("酒店", "的") then carry no weight
 * into a domain the model never saw, where they would only say how long the text is.
 */
export const featureOptionsSchema = z.object({
  chars: z.enum(["word", "run"]).default("word"),
  minChars: z.number().int().min(1).max(8).default(2),
  maxChars: z.number().int().min(1).max(8).default(5),
  key: z.enum(["lower", "text"]).default("lower"),
  terms: z.enum(["all", "drivers"]).optional(),
});
export type FeatureOptions = z.infer<typeof featureOptionsSchema>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64");
const finite = z.number().finite();
const denseName = z
  .string()
  .refine(
    (n) => (FIXED_DENSE as readonly string[]).includes(n) || /^(need|emotion):[a-z_]+$/.test(n),
    "must be a dense feature the engine computes",
  );

export const headSchema = z.object({
  id: z
    .string()
    .regex(
      /^(complaint|sentiment:(negative|neutral|positive)|emotion:[a-z_]+)$/,
      "must be complaint, sentiment:<label> or emotion:<id>",
    ),
  bias: finite,
  /** Weight of one quantisation step: weight = value * scale. */
  scale: z.number().positive().finite(),
  /** Buckets with a weight, ascending, as base64 varint deltas. */
  indices: base64,
  /** One signed byte per bucket in `indices`, base64. */
  values: base64,
  /** Weights of the dense features, in the file's `dense` order. */
  dense: z.array(finite),
  /** Platt scaling fitted on held-out data: p = 1 / (1 + exp(-(a * logit + b))); a > 0 keeps it monotone. */
  calibration: z.object({ a: z.number().positive().finite(), b: finite }),
  /** Calibrated probability at and above which the head says yes. */
  threshold: z.number().min(0).max(1),
});

export const modelFileSchema = z.object({
  format: z.literal(MODEL_FORMAT),
  language: z.enum(MODEL_LANGUAGES),
  features: featureOptionsSchema
    .refine((f) => f.minChars <= f.maxChars, "minChars must not exceed maxChars")
    .optional(),
  buckets: z
    .number()
    .int()
    .refine((n) => n >= 2 ** 10 && n <= 2 ** 22 && (n & (n - 1)) === 0, "must be a power of two from 2^10 to 2^22"),
  maxTerms: z.number().int().min(1).max(4096),
  dense: z.array(denseName),
  heads: z.array(headSchema).min(1),
  trainedOn: z.array(
    z.object({
      id: z.string().min(1),
      rows: z.number().int().min(0),
      license: z.string().min(1),
      source: z.string().min(1),
    }),
  ),
  /** How the complaint threshold was chosen, in words. */
  operatingPoint: z.string().min(1),
  /** Held-out figures printed by the training script, for the record. */
  metrics: z.record(z.string(), z.number()).default({}),
});

export type ModelFile = z.input<typeof modelFileSchema>;
export type ModelHead = z.infer<typeof headSchema>;
