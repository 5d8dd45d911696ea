import { decodeSparse } from "./codec.js";
import { FIXED_DENSE } from "./dense.js";
import type { Token } from "../text.js";
import { FeatureBuffer } from "./feature-buffer.js";
import { fnv1a } from "./hashing.js";
import {
  type FeatureOptions,
  modelFileSchema,
  PACK_REQUIRED_HEADS,
  REQUIRED_HEADS,
  type ModelFile,
} from "./model-file.js";
import { Hits, sumHeads, WeightTable } from "./weights.js";
import { MAX_EXACT_TERMS, sumTermHeads, type TermRows, termOwnerSums, WordRows } from "./word-rows.js";

export class ModelError extends Error {}

/** A term's pull on one head's logit: the word or bigram as written, its weight. */
export interface Contribution {
  term: string;
  weight: number;
}

/** The trained model compiled for inference: weights interleaved by bucket, so one lookup reads every head. */
export interface LearnedModel {
  /** Content hash of the model file, part of the lexicons' version. */
  readonly hash: string;
  readonly file: Readonly<ModelFile>;
  readonly heads: ReadonlyArray<{ id: string; threshold: number }>;
  readonly maxTerms: number;
  readonly mask: number;
  /** How text becomes features; undefined: English's word and in-word character n-grams. */
  readonly features: FeatureOptions | undefined;
  /** Where each fixed dense feature sits in the model's dense vector (-1: unused). */
  readonly fixedSlots: Int32Array;
  /** Dense slots of `need:<id>` and `emotion:<id>` features. */
  readonly needSlots: ReadonlyMap<string, number>;
  readonly emotionSlots: ReadonlyMap<string, number>;
  readonly denseCount: number;
  headIndex(id: string): number;
  /** Raw logits of every head for the features and dense vector given, into `out`. */
  logits(features: FeatureBuffer, dense: Float64Array, out: Float64Array): void;
  /**
   * The same features as weight rows, with each word's rows remembered (models with the default
   * features only: English's word and in-word character n-grams); `logits` over `rows` gives what
   * it gives over the FeatureBuffer of the same sentences.
   */
  termRows(sentences: ReadonlyArray<{ tokens: Token[] }>, out: TermRows): void;
  termLogits(rows: TermRows, dense: Float64Array, out: Float64Array): void;
  /** Calibrated probability of head `h` for its raw logit. */
  probability(h: number, logit: number): number;
  /** The terms that moved head `h` most, strongest first, at most `k`, positive pull only when `positive`. */
  topTerms(h: number, features: FeatureBuffer | TermRows, k: number, positive: boolean): Contribution[];
  /** Weight of dense feature `j` in head `h`. */
  denseWeight(h: number, j: number): number;
  /** Dense feature names with their pull on head `h`'s logit. */
  denseContributions(h: number, dense: Float64Array): Array<{ name: string; weight: number }>;
}

/** Validates a model file and compiles it; a bad file throws a ModelError naming what is wrong. */
export function compileModel(input: unknown): LearnedModel {
  const parsed = modelFileSchema.safeParse(input);
  if (!parsed.success)
    throw new ModelError(
      `model file is invalid:\n${parsed.error.issues.map((i) => `  ${i.path.join(".") || "(file)"}: ${i.message}`).join("\n")}`,
    );
  const file = parsed.data;
  const ids = file.heads.map((h) => h.id);
  for (const id of file.language === "en" ? REQUIRED_HEADS : PACK_REQUIRED_HEADS)
    if (!ids.includes(id)) throw new ModelError(`model file is invalid: heads: missing head ${id}`);
  if (new Set(ids).size !== ids.length) throw new ModelError("model file is invalid: heads: a head id is listed twice");
  if (new Set(file.dense).size !== file.dense.length)
    throw new ModelError("model file is invalid: dense: a feature is listed twice");
  const H = file.heads.length;
  const dense = new Float64Array(file.dense.length * H);
  const byHead: Array<Array<[bucket: number, value: number]>> = [];
  file.heads.forEach((head, h) => {
    if (head.dense.length !== file.dense.length)
      throw new ModelError(
        `model file is invalid: heads[${h}].dense: has ${head.dense.length} weights for ${file.dense.length} features`,
      );
    const own: Array<[number, number]> = [];
    try {
      decodeSparse(head.indices, head.values, file.buckets, (bucket, value) => own.push([bucket, value]));
    } catch (e) {
      throw new ModelError(`model file is invalid: heads[${h}] (${head.id}): ${(e as Error).message}`);
    }
    byHead.push(own);
    head.dense.forEach((w, j) => {
      dense[j * H + h] = w;
    });
  });
  const table = new WeightTable(file.buckets, H, byHead);
  const { weights } = table;
  const hits = new Hits();
  const wordRows = new WordRows(table, file.buckets - 1);
  const wordSums = new Float64Array(H);
  const scales = Float64Array.from(file.heads, (h) => h.scale);
  const biases = Float64Array.from(file.heads, (h) => h.bias);
  const cal = file.heads.map((h) => h.calibration);
  const fixedSlots = Int32Array.from(FIXED_DENSE, (name) => file.dense.indexOf(name));
  const slots = (prefix: string) =>
    new Map(
      file.dense.flatMap((n, j) => (n.startsWith(prefix) ? [[n.slice(prefix.length), j] as [string, number]] : [])),
    );
  const headIndex = new Map(ids.map((id, h) => [id, h]));
  // Per-term sums for explanations, reused: at most two terms (word, bigram) per term slot.
  let ownerSums = new Float64Array(2 * file.maxTerms);
  let bestOwners = new Int32Array(8);
  let bestWeights = new Float64Array(8);
  /** Scale and bias, then the dense features: what turns the hashed features' sums into logits. */
  const finishLogits = (x: Float64Array, out: Float64Array) => {
    for (let h = 0; h < H; h++) out[h] = out[h] * scales[h] + biases[h];
    for (let j = 0; j < x.length; j++) {
      const xj = x[j];
      if (xj === 0) continue;
      for (let h = 0; h < H; h++) out[h] += dense[j * H + h] * xj;
    }
  };
  const json = JSON.stringify(input);
  const hash = (
    fnv1a(json).toString(16).padStart(8, "0") + fnv1a(json, 0x01000193).toString(16).padStart(8, "0")
  ).slice(0, 12);

  return {
    hash,
    file,
    heads: file.heads.map((h) => ({ id: h.id, threshold: h.threshold })),
    maxTerms: file.maxTerms,
    mask: file.buckets - 1,
    features: file.features,
    fixedSlots,
    needSlots: slots("need:"),
    emotionSlots: slots("emotion:"),
    denseCount: file.dense.length,
    headIndex: (id) => headIndex.get(id) ?? -1,
    logits(features, x, out) {
      hits.gather(table, features);
      sumHeads(table, hits, out);
      finishLogits(x, out);
    },
    termRows(sentences, out) {
      if (file.features !== undefined || file.maxTerms > MAX_EXACT_TERMS)
        throw new Error("termRows: the model's features are not the default ones, or it reads too many terms");
      wordRows.fill(sentences, file.maxTerms, out);
    },
    termLogits(rows, x, out) {
      sumTermHeads(table, rows, wordSums, out);
      finishLogits(x, out);
    },
    probability: (h, logit) => 1 / (1 + Math.exp(-(cal[h].a * logit + cal[h].b))),
    topTerms(h, features, k, positive) {
      if (bestOwners.length < k) {
        bestOwners = new Int32Array(k);
        bestWeights = new Float64Array(k);
      }
      const terms = features.termCount;
      const slotsUsed = 2 * terms;
      if (ownerSums.length < slotsUsed) ownerSums = new Float64Array(slotsUsed);
      ownerSums.fill(0, 0, slotsUsed);
      if (features instanceof FeatureBuffer) {
        hits.gather(table, features);
        for (let i = 0; i < hits.length; i++)
          ownerSums[hits.owners[i]] += weights[hits.offsets[i] + h] * hits.values[i] * scales[h];
      } else termOwnerSums(table, features, h, scales[h], ownerSums);
      // Insertion into a list of at most k (k is a handful); the terms' text is made for the winners only.
      // Terms are ranked by the weight as shown (two decimals), ties in the order the terms came: the
      // feature and word-row paths add a term's weights in different orders, and two terms a last bit
      // apart must not swap places between them.
      const shown = (w: number) => Math.round(Math.abs(w) * 100);
      let found = 0;
      for (let o = 0; o < slotsUsed; o++) {
        const w = ownerSums[o];
        if (w === 0 || (positive && w <= 0)) continue;
        if (found === k && shown(w) <= shown(bestWeights[k - 1])) continue;
        let at = found;
        while (at > 0 && shown(bestWeights[at - 1]) < shown(w)) at--;
        for (let m = Math.min(found, k - 1); m > at; m--) {
          bestOwners[m] = bestOwners[m - 1];
          bestWeights[m] = bestWeights[m - 1];
        }
        bestOwners[at] = o;
        bestWeights[at] = w;
        if (found < k) found++;
      }
      const best: Contribution[] = new Array(found);
      for (let m = 0; m < found; m++)
        best[m] = { term: features.termOf(bestOwners[m]), weight: Math.round(bestWeights[m] * 100) / 100 };
      return best;
    },
    denseWeight: (h, j) => dense[j * H + h],
    denseContributions(h, x) {
      const out: Array<{ name: string; weight: number }> = [];
      for (let j = 0; j < x.length; j++)
        if (x[j] !== 0) out.push({ name: file.dense[j], weight: dense[j * H + h] * x[j] });
      return out;
    },
  };
}
