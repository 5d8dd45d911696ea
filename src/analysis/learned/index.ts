import { formatScore } from "../complaint-risk.js";
import type { Lexicons } from "../lexicons.js";
import { sortSmall } from "../ordered.js";
import type { AnalysedSentence } from "../sentences.js";
import type { ComplaintResult, EmotionResult, NeedResult, RiskReason, SentimentLabel } from "../types.js";
import { FIXED_DENSE, fixedDense } from "./dense.js";
import { FeatureBuffer } from "./feature-buffer.js";
import { hashFeatures } from "./hashing.js";
import { keepDriverTerms } from "./opinion-terms.js";
import { MAX_EXACT_TERMS, TermRows } from "./word-rows.js";
import type { LearnedModel } from "./model.js";

export { compileModel, ModelError, type LearnedModel } from "./model.js";
export { modelFileSchema, MODEL_FORMAT, type FeatureOptions, type ModelFile } from "./model-file.js";
export { FeatureBuffer } from "./feature-buffer.js";
export { FIXED_DENSE } from "./dense.js";

/** What the features need to know of a model: its hashing space and where each dense feature goes. */
export type FeatureSpec = Pick<
  LearnedModel,
  "mask" | "maxTerms" | "fixedSlots" | "needSlots" | "emotionSlots" | "denseCount" | "features"
>;

/** The lexicon engine's findings on the customer's side, which the learned layer reads. */
export interface LexiconStage {
  customerSentences: AnalysedSentence[];
  overall: number;
  emotions: EmotionResult[];
  needs: NeedResult[];
}

const fixedScratch = new Float64Array(FIXED_DENSE.length);

/** Hashed n-grams into `features` and the dense vector into `dense` (length `spec.denseCount`). */
export function fillInputs(spec: FeatureSpec, stage: LexiconStage, features: FeatureBuffer, dense: Float64Array): void {
  features.reset();
  hashFeatures(stage.customerSentences, spec.mask, spec.maxTerms, features, spec.features);
  if (spec.features?.terms === "drivers") keepDriverTerms(stage.customerSentences, features);
  fillDense(spec, stage, dense);
}

/** The dense vector alone (length `spec.denseCount`). */
function fillDense(spec: FeatureSpec, stage: LexiconStage, dense: Float64Array): void {
  dense.fill(0);
  fixedDense({ overall: stage.overall, sentences: stage.customerSentences }, fixedScratch);
  for (let i = 0; i < fixedScratch.length; i++)
    if (spec.fixedSlots[i] >= 0) dense[spec.fixedSlots[i]] = fixedScratch[i];
  for (const n of stage.needs) {
    const j = spec.needSlots.get(n.id);
    if (j !== undefined) dense[j] = n.confidence;
  }
  for (const e of stage.emotions) {
    const j = spec.emotionSlots.get(e.id);
    if (j !== undefined) dense[j] = e.score;
  }
}

/** The buffer a model reads a text into: weight rows where its features are the default ones, else features one by one. */
export const textInputsFor = (model: LearnedModel): FeatureBuffer | TermRows =>
  model.features === undefined && model.maxTerms <= MAX_EXACT_TERMS ? new TermRows() : new FeatureBuffer();

/** The model's raw logits for the stage's customer sentences and findings, into `logits`. */
export function stageLogits(
  model: LearnedModel,
  stage: LexiconStage,
  features: FeatureBuffer | TermRows,
  dense: Float64Array,
  logits: Float64Array,
): void {
  if (features instanceof TermRows) {
    model.termRows(stage.customerSentences, features);
    fillDense(model, stage, dense);
    model.termLogits(features, dense, logits);
  } else {
    fillInputs(model, stage, features, dense);
    model.logits(features, dense, logits);
  }
}

export interface LearnedOutputs {
  sentiment: { score: number; label: SentimentLabel };
  emotions: EmotionResult[];
  complaint: ComplaintResult;
}

/** Non-text evidence the text model cannot see (queue and hold times, a worsening conversation). */
export interface ContextSignal {
  code: string;
  strength: number;
  detail?: string;
}

interface Scratch {
  /** The text's features: as weight rows where the model's features allow it, else one by one. */
  features: FeatureBuffer | TermRows;
  dense: Float64Array;
  logits: Float64Array;
  /** Head indices and the dense features' meaning, read once per model rather than per message. */
  negative: number;
  neutral: number;
  positive: number;
  complaint: number;
  /** `emotion:<id>` heads: index and id. */
  emotionHeads: Array<{ h: number; id: string }>;
  /** Emotion ids the model has a head for. */
  learnedEmotions: Set<string>;
  /** Per dense feature: the negative-sentiment reason, a need or emotion id, or nothing. */
  denseRole: Array<{ negative: boolean; id: string | undefined }>;
}
const scratchByModel = new WeakMap<LearnedModel, Scratch>();

function scratchOf(model: LearnedModel): Scratch {
  let s = scratchByModel.get(model);
  if (!s) {
    const emotionHeads: Scratch["emotionHeads"] = [];
    for (let h = 0; h < model.heads.length; h++)
      if (model.heads[h].id.startsWith("emotion:")) emotionHeads.push({ h, id: model.heads[h].id.slice(8) });
    s = {
      features: textInputsFor(model),
      dense: new Float64Array(model.denseCount),
      logits: new Float64Array(model.heads.length),
      negative: model.headIndex("sentiment:negative"),
      neutral: model.headIndex("sentiment:neutral"),
      positive: model.headIndex("sentiment:positive"),
      complaint: model.headIndex("complaint"),
      emotionHeads,
      learnedEmotions: new Set(emotionHeads.map((e) => e.id)),
      denseRole: model.file.dense.map((name) => ({
        negative: NEGATIVE_SENTIMENT.has(name),
        id: name.startsWith("need:") || name.startsWith("emotion:") ? name.slice(name.indexOf(":") + 1) : undefined,
      })),
    };
    scratchByModel.set(model, s);
  }
  return s;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const round3 = (x: number) => Math.round(x * 1000) / 1000;
const MIN_REASON_WEIGHT = 0.03;
const POSITIVE_EMOTIONS = new Set(["gratitude"]);
const WORDING_TERMS = 3;
const EVIDENCE_TERMS = 3;
/** Dense features that are the lexicon's negative sentiment, reported as one reason. */
const NEGATIVE_SENTIMENT = new Set(["lex:negative", "lex:lowest", "lex:negative_drivers", "lex:patterns"]);

/**
 * The learned layer's answers: calibrated sentiment, emotions and complaint probability, each
 * explained by the terms and lexicon findings that moved it. Runs once per English message.
 */
export function learnedOutputs(
  model: LearnedModel,
  stage: LexiconStage,
  lex: Lexicons,
  context: ContextSignal[],
  recovered = false,
): LearnedOutputs {
  const scratch = scratchOf(model);
  const { features, dense, logits } = scratch;
  stageLogits(model, stage, features, dense, logits);

  const neg = model.probability(scratch.negative, logits[scratch.negative]);
  const neu = model.probability(scratch.neutral, logits[scratch.neutral]);
  const pos = model.probability(scratch.positive, logits[scratch.positive]);
  // A complaint is a negative message (every training set labels one so), so the label takes a
  // message as at least as likely negative as it is a complaint: the heads are trained apart and can
  // disagree. The score stays the sentiment heads' own, which is what ranks reviews and tweets well.
  const negative = Math.max(neg, model.probability(scratch.complaint, logits[scratch.complaint]));
  const label: SentimentLabel = negative >= neu && negative >= pos ? "negative" : pos >= neu ? "positive" : "neutral";
  const sentiment = { score: round3((pos - neg) / (neg + neu + pos)), label };

  const emotions: EmotionResult[] = [];
  for (const e of stage.emotions) if (!scratch.learnedEmotions.has(e.id)) emotions.push(e);
  for (const { h, id: emotion } of scratch.emotionHeads) {
    const p = model.probability(h, logits[h]);
    if (p < model.heads[h].threshold) continue;
    // As in the rules: no gratitude in a message the lexicon reads as negative ("thanks for nothing").
    if (POSITIVE_EMOTIONS.has(emotion) && stage.overall <= lex.sentiment.labels.negative) continue;
    const found = stage.emotions.find((e) => e.id === emotion);
    const evidence = found ? found.evidence : model.topTerms(h, features, EVIDENCE_TERMS, true).map((c) => c.term);
    emotions.push({ id: emotion, label: lex.emotions.labels.get(emotion) ?? emotion, score: round2(p), evidence });
  }

  return {
    sentiment,
    emotions: sortSmall(emotions, (a, b) => b.score - a.score),
    complaint: complaintOf(model, scratch, stage, lex, context, recovered),
  };
}

/** A conversation that ended well (improving, ending positive) counts its text's risk at half, as the rules do. */
const RECOVERED_FACTOR = 0.5;

function complaintOf(
  model: LearnedModel,
  scratch: Scratch,
  stage: LexiconStage,
  lex: Lexicons,
  context: ContextSignal[],
  recovered: boolean,
): ComplaintResult {
  const { logits, features, dense, denseRole } = scratch;
  const h = scratch.complaint;
  // The model reads a transcript's customer turns as one text, so it cannot see that the problem was settled.
  const p = model.probability(h, logits[h]) * (recovered ? RECOVERED_FACTOR : 1);
  // Pull on the logit per reason code: lexicon findings under their own codes, the words as "wording".
  const pulls = new Map<string, { weight: number; detail?: string }>();
  const add = (code: string, weight: number, detail?: string) => {
    const at = pulls.get(code);
    if (at) at.weight += weight;
    else pulls.set(code, { weight, detail });
  };
  let lowest = stage.overall;
  for (const s of stage.customerSentences) if (s.score < lowest) lowest = s.score;
  for (let j = 0; j < dense.length; j++) {
    if (dense[j] === 0) continue;
    const role = denseRole[j];
    if (!role.negative && role.id === undefined) continue;
    const weight = model.denseWeight(h, j) * dense[j];
    if (weight <= 0) continue;
    if (role.negative) add("negative_sentiment", weight, formatScore(lowest));
    else if (role.id !== undefined && lex.complaint.signals[role.id]) {
      const id = role.id;
      const need = stage.needs.find((n) => n.id === id);
      add(id, weight, need ? `("${need.evidence[0]}")` : undefined);
    }
  }
  const terms = model.topTerms(h, features, WORDING_TERMS, true);
  let termPull = 0;
  for (const t of terms) termPull += t.weight;
  if (termPull > 0) add("wording", termPull, terms.map((t) => `"${t.term}"`).join(", "));

  let calm = 1 - p;
  const reasons: RiskReason[] = [];
  let totalPull = 0;
  for (const v of pulls.values()) totalPull += v.weight;
  for (const [code, v] of pulls) {
    const def = lex.complaint.signals[code];
    const weight = round2((p * v.weight) / totalPull);
    if (!def || weight < MIN_REASON_WEIGHT) continue;
    reasons.push({ code, text: v.detail ? `${def.reason} ${v.detail}` : def.reason, weight });
  }
  for (const s of context) {
    const def = lex.complaint.signals[s.code];
    if (!def) continue;
    const weight = round2(def.weight * Math.min(1, Math.max(0, s.strength)));
    if (weight < MIN_REASON_WEIGHT) continue;
    calm *= 1 - weight;
    reasons.push({ code: s.code, text: s.detail ? `${def.reason} ${s.detail}` : def.reason, weight });
  }
  const risk = round2(1 - calm);
  const threshold = model.heads[h].threshold;
  return { risk, flagged: risk >= threshold, threshold, reasons: sortSmall(reasons, (a, b) => b.weight - a.weight) };
}
