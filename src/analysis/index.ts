import { complaintRisk, formatScore, type RiskSignal } from "./complaint-risk.js";
import { keyPhrases } from "./key-phrases.js";
import { languageFreeSignals, notAnalysedReason } from "./language-free.js";
import { detectLanguage, UNDETERMINED } from "./language.js";
import type { Lexicons } from "./lexicons.js";
import { maskFreeJson } from "./masking.js";
import { detectPii, mayHoldPii, redact, redactText, type PiiSpan } from "./pii.js";
import { labelOf } from "./sentiment.js";
import {
  aggregateScores,
  analyseSegment,
  splitSegment,
  type AnalysedSentence,
  type Segment,
  type SplitSentence,
} from "./sentences.js";
import { emotionsOf, needsOf, topicsOf } from "./signals.js";
import { tokenize, type Token } from "./text.js";
import { trajectoryOf } from "./trajectory.js";
import { learnedOutputs, type ContextSignal, type LexiconStage } from "./learned/index.js";
import type { Driver } from "./sentiment.js";
import type {
  AnalysisInput,
  AnalysisOutput,
  AnalysisResult,
  Scored,
  SentenceResult,
  Speaker,
  TurnResult,
} from "./types.js";

export type { AnalysisInput, AnalysisOutput, AnalysisResult } from "./types.js";
export { complaintRisk, type RiskSignal } from "./complaint-risk.js";

export interface Analyzer {
  readonly version: string;
  analyze(input: AnalysisInput): AnalysisOutput;
}

/** The analysis seam: pure, synchronous, text and lexicons in, a result out. */
export { withModel, withoutModel } from "./lexicons.js";
export { compileModel, type ModelFile, type LearnedModel } from "./learned/index.js";

export function createAnalyzer(lex: Lexicons): Analyzer {
  return { version: lex.version, analyze: (input) => analyze(input, lex) };
}

const LANGUAGE_SAMPLE_CHARS = 400;

/** Who speaks for the customer: everything but agent and bot turns (an agent's notes describe the customer). */
const isCustomerSide = (s: { speaker?: Speaker }) => s.speaker !== "agent" && s.speaker !== "bot";
const termMayHoldPii = (d: Driver) => mayHoldPii(d.term);

function segmentsOf(input: AnalysisInput): Segment[] {
  const segments: Segment[] = [];
  if (input.subject?.trim()) segments.push({ text: input.subject });
  if (input.text?.trim()) segments.push({ text: input.text });
  input.turns?.forEach((t, turn) => {
    segments.push({ text: t.text, speaker: t.speaker, turn });
  });
  return segments;
}

export function interactionText(input: AnalysisInput): string {
  const parts: string[] = [];
  if (input.text?.trim()) parts.push(input.text.trim());
  for (const t of input.turns ?? []) parts.push(`${t.speaker}: ${t.text.trim()}`);
  return parts.join("\n");
}

/**
 * The input in one shape. Callers hand in objects of many (parsed JSON lines with or without a
 * subject, turns with or without a time, structured clones), and every site reading them deoptimised
 * the pipeline as each new shape arrived; read once here, everything after sees one.
 */
function normalised(input: AnalysisInput): AnalysisInput {
  let turns: AnalysisInput["turns"];
  if (input.turns) {
    turns = new Array(input.turns.length);
    for (let i = 0; i < turns.length; i++) turns[i] = { speaker: input.turns[i].speaker, text: input.turns[i].text };
  }
  const context = input.context && {
    waitSeconds: input.context.waitSeconds,
    holdSeconds: input.context.holdSeconds,
    public: input.context.public,
  };
  return { channel: input.channel, subject: input.subject, text: input.text, turns, context };
}

/**
 * `onStage` sees the lexicon engine's findings on the customer's side before the learned layer reads
 * them: the training script takes its features from there, so training and inference share one path.
 */
export function analyze(given: AnalysisInput, lex: Lexicons, onStage?: (stage: LexiconStage) => void): AnalysisOutput {
  const input = normalised(given);
  const text = interactionText(input);
  const segments = segmentsOf(input);
  const split = segments.map(splitSegment);
  const customerJoined = segments
    .filter(isCustomerSide)
    .map((s) => s.text)
    .join("\n");
  const customerText = customerJoined || text;
  const sample = customerText.slice(0, LANGUAGE_SAMPLE_CHARS);
  const sampleWords = customerJoined ? languageSample(segments, split) : wordsOf(tokenize(sample));
  const language = detectLanguage(sample, sampleWords, lex.languages);
  // English and the languages with lexicons of their own (languages/pack.ts) get every signal; a
  // language with a sentiment lexicon alone gets sentiment (and the risk that follows from it); any
  // other language is reported and left unscored. A text too short or too mixed to name its
  // language goes through the English lexicons, which also read emoji and emphasis.
  const pack = lex.packs.get(language.code);
  const foreignSentiment = lex.sentimentByLanguage.get(language.code);
  const scope: "full" | "sentiment" | "none" =
    language.code === "en" || language.code === UNDETERMINED || pack ? "full" : foreignSentiment ? "sentiment" : "none";
  const analysed = scope !== "none";
  // The language's own lexicons, its tokens made ready for them (segmented, normalised).
  const active = pack ? pack.lex : lex;
  if (pack)
    for (const sentencesOfSegment of split) for (const s of sentencesOfSegment) s.tokens = pack.prepare(s.tokens);

  const sentences: AnalysedSentence[] = [];
  if (analysed) {
    segments.forEach((s, k) => {
      analyseSegment(s, active, scope === "sentiment" ? foreignSentiment : undefined, sentences, split[k]);
    });
  }
  const customerSentences = sentences.filter(isCustomerSide);
  const scored = (xs: AnalysedSentence[]): Scored => {
    const score = aggregateScores(xs);
    const result: Scored = { score: 0.5, label: labelOf(score, active.sentiment.labels) };
    result.score = score;
    return result;
  };

  // Every text that goes into the stored analysis passes through `clean` (personal data masked).
  const clean = (s: string) => redactText(s, lex.pii);
  const cleanDriver = (d: Driver): Driver =>
    termMayHoldPii(d) ? { term: clean(d.term), weight: d.weight, rules: d.rules, reason: d.reason } : d;

  const turnCount = input.turns?.length ?? 0;
  let turns: TurnResult[] | undefined;
  let speakers: AnalysisResult["speakers"];
  if (turnCount > 0) {
    // A loop, not Array.from with a map function: that generic path was the costliest line here.
    const byTurn: AnalysedSentence[][] = new Array(turnCount);
    for (let i = 0; i < turnCount; i++) byTurn[i] = [];
    for (const s of sentences) if (s.turn !== undefined) byTurn[s.turn].push(s);
    turns = input.turns!.map((t, index) => {
      const own = byTurn[index];
      const { score, label } = scored(own);
      const drivers: Driver[] = [];
      for (const s of own) for (const d of s.drivers) drivers.push(cleanDriver(d));
      // Scores start as a fraction so the field is a double from the first object made (see newDriver).
      const result: TurnResult = { index, speaker: t.speaker, score: 0.5, label, drivers };
      result.score = score;
      return result;
    });
    speakers = speakerScores(sentences, scored);
  }
  let trajectory: AnalysisResult["trajectory"];
  if (turns) {
    const customerTurns: TurnResult[] = [];
    for (const t of turns) if (t.speaker === "customer") customerTurns.push(t);
    trajectory = trajectoryOf(customerTurns);
  }
  const overall = scored(customerSentences.length ? customerSentences : sentences);

  const emotions = emotionsOf(customerSentences, active);
  const needs = needsOf(customerSentences, active);
  const topics = topicsOf(sentences, active, isCustomerSide);
  // Key phrases come from an English parser (compromise).
  const phrases =
    scope === "full" && !pack && topics.length === 0 && customerText.trim() ? keyPhrases(customerText) : [];

  // The evidence lists are this result's own copies: kept as they are unless one may hold personal data.
  const cleanAll = (xs: string[]) => {
    for (const x of xs) if (mayHoldPii(x)) return xs.map(clean);
    return xs;
  };
  const storedNeeds = withCleanEvidence(needs, cleanAll);
  const stage: LexiconStage = { customerSentences, overall: overall.score, emotions, needs: storedNeeds };
  onStage?.(stage);
  // Reasons quote need evidence, so they take it masked.
  let complaint: AnalysisResult["complaint"];
  let emotionsOut = emotions;
  // The learned model is English's: other languages' packs keep their lexicon scores.
  if (scope === "full" && !pack && lex.model && customerSentences.length > 0) {
    const recovered = trajectory?.trend === "improving" && trajectory.end >= 0.1;
    const learned = learnedOutputs(
      lex.model,
      stage,
      lex,
      contextSignals(input, overall.score, trajectory, lex.complaint),
      recovered,
    );
    overall.score = learned.sentiment.score;
    overall.label = learned.sentiment.label;
    emotionsOut = learned.emotions;
    complaint = learned.complaint;
  } else {
    const signals = riskSignals(input, overall, customerSentences, emotions, storedNeeds, trajectory, active.complaint);
    // Unread words leave the signals any text carries (emoji, "!!!", capitals), and a reason saying so.
    if (!analysed) signals.push(...languageFreeSignals(customerTokens(segments, split), lex.emoji));
    complaint = complaintRisk(signals, active.complaint);
    if (!analysed) complaint.reasons.push(notAnalysedReason(language.code));
  }

  const { redactedText, redactedTurns, redactedSubject, piiCounts } = redacted(input, lex.pii);

  // Results are built property by property (no spreads): this runs for every message, and object
  // spread is V8's slow path. Absent optional fields are left undefined, which JSON leaves out.
  const sentenceResults: SentenceResult[] = new Array(sentences.length);
  for (let k = 0; k < sentences.length; k++) {
    const s = sentences[k];
    // The sentence's own drivers, copied only when a term may hold personal data.
    const drivers = s.drivers.some(termMayHoldPii) ? s.drivers.map(cleanDriver) : s.drivers;
    const result: SentenceResult = {
      text: clean(s.text),
      score: 0.5,
      label: s.label,
      speaker: s.speaker,
      turn: s.turn,
      drivers,
    };
    result.score = s.score;
    sentenceResults[k] = result;
  }
  // Number fields start as fractions and are then set (see newDriver): with a whole first value V8
  // made them small-integer fields, and in some processes then deoptimised this function on every
  // message for tens of thousands of messages ("lost precision or NaN" at the language confidence).
  const languageResult: AnalysisResult["language"] = { code: language.code, confidence: 0.5, analysed, scope };
  languageResult.confidence = language.confidence;
  const sentimentResult: AnalysisResult["sentiment"] = { score: 0.5, label: overall.label, sentences: sentenceResults };
  sentimentResult.score = overall.score;
  if (!analysed) {
    sentimentResult.score = null;
    sentimentResult.label = "not_analysed";
  }
  const stored: AnalysisResult = {
    version: lex.version,
    language: languageResult,
    sentiment: sentimentResult,
    speakers,
    trajectory,
    turns,
    emotions: withCleanEvidence(emotionsOut, cleanAll),
    topics: withCleanEvidence(topics, cleanAll),
    keyPhrases: cleanAll(phrases),
    needs: storedNeeds,
    complaint,
    pii: piiCounts
      ? [...piiCounts].map(([kind, count]) => ({ kind: kind as AnalysisResult["pii"][number]["kind"], count }))
      : [],
  };
  const redaction: AnalysisOutput["redaction"] = {
    text: redactedText,
    turns: redactedTurns,
    subject: redactedSubject,
    stored: undefined,
  };
  if (given.stored) redaction.stored = maskFreeJson(given.stored, lex.pii);
  return { version: lex.version, text, stored, redaction };
}

const wordsOf = (tokens: Token[]) => tokens.filter((t) => t.kind === "word");

/**
 * The text, turns and subject to store, personal data masked, and how much of each kind was found. Plain
 * loops: array methods over lists that are sometimes empty literals and sometimes built element by
 * element saw two array shapes, and V8 deoptimised the pipeline for each.
 */
function redacted(input: AnalysisInput, config: Lexicons["pii"]) {
  // Made on the first span found: most messages have none.
  let piiCounts: Map<string, number> | undefined;
  const count = (spans: PiiSpan[]) => {
    for (const s of spans) (piiCounts ??= new Map()).set(s.kind, (piiCounts.get(s.kind) ?? 0) + 1);
  };
  // Turns are counted before the body, as the tally's order is the order kinds are listed in.
  const redactedTurns: string[] = [];
  for (const t of input.turns ?? []) {
    const spans = detectPii(t.text);
    count(spans);
    redactedTurns.push(redact(t.text, spans, config));
  }
  // The subject is analysed with the body, so its personal data is counted too.
  let redactedSubject: string | undefined;
  if (input.subject !== undefined) {
    const spans = detectPii(input.subject);
    count(spans);
    redactedSubject = redact(input.subject, spans, config);
  }
  const body = input.text?.trim() ?? "";
  let redactedText = "";
  if (body) {
    const spans = detectPii(body);
    count(spans);
    redactedText = redact(body, spans, config);
  }
  for (let i = 0; i < redactedTurns.length; i++) {
    const line = `${input.turns![i].speaker}: ${redactedTurns[i].trim()}`;
    redactedText = redactedText ? `${redactedText}\n${line}` : line;
  }
  return { redactedText, redactedTurns, redactedSubject, piiCounts: piiCounts as Map<string, number> | undefined };
}

/** `items` with every evidence list cleaned: the same objects (and list) where none held personal data. */
function withCleanEvidence<T extends { evidence: string[] }>(items: T[], cleanAll: (xs: string[]) => string[]): T[] {
  let out = items;
  for (let i = 0; i < items.length; i++) {
    const evidence = cleanAll(items[i].evidence);
    if (evidence === items[i].evidence) continue;
    if (out === items) out = items.slice();
    // A spread keeps the keys in their order, `evidence` replaced where it stands; only with personal data.
    out[i] = { ...items[i], evidence };
  }
  return out;
}

/**
 * The words of the customer's first few hundred characters, which settle the language, taken from
 * the sentences already tokenised (tokenising a long email again would cost more than the guess).
 */
function languageSample(segments: Segment[], split: SplitSentence[][]): Token[] {
  const words: Token[] = [];
  let offset = 0;
  for (let k = 0; k < segments.length && offset < LANGUAGE_SAMPLE_CHARS; k++) {
    if (!isCustomerSide(segments[k])) continue;
    for (const s of split[k]) {
      for (const t of s.tokens)
        if (t.kind === "word" && offset + s.start + t.end <= LANGUAGE_SAMPLE_CHARS) words.push(t);
    }
    offset += segments[k].text.length + 1;
  }
  return words;
}

/** The customer's tokens (every token when no segment is the customer's), for the language-free signals. */
function customerTokens(segments: Segment[], split: SplitSentence[][]): Token[] {
  const customer = segments.some(isCustomerSide);
  const tokens: Token[] = [];
  for (let k = 0; k < segments.length; k++)
    if (!customer || isCustomerSide(segments[k])) for (const s of split[k]) for (const t of s.tokens) tokens.push(t);
  return tokens;
}

function speakerScores(sentences: AnalysedSentence[], scored: (xs: AnalysedSentence[]) => Scored) {
  const bySpeaker = new Map<Speaker, AnalysedSentence[]>();
  for (const s of sentences) {
    if (!s.speaker) continue;
    const own = bySpeaker.get(s.speaker);
    if (own) own.push(s);
    else bySpeaker.set(s.speaker, [s]);
  }
  // Every key present from the start (absent speakers stay undefined, which JSON leaves out): adding
  // keys one by one to an empty literal took V8 through a new shape each time.
  const out: Partial<Record<Speaker, Scored & { turns: number }>> = {
    customer: undefined,
    agent: undefined,
    bot: undefined,
  };
  for (const speaker of ["customer", "agent", "bot"] as const) {
    const own = bySpeaker.get(speaker);
    if (!own) continue;
    const { score, label } = scored(own);
    let turns = 0;
    let lastTurn: number | undefined = -1;
    // A turn's sentences are adjacent, so counting changes of turn counts distinct turns.
    for (const s of own) {
      if (s.turn !== lastTurn) {
        turns++;
        lastTurn = s.turn;
      }
    }
    out[speaker] = { score, label, turns };
  }
  return out;
}

/** Evidence from outside the customer's words, which the learned layer adds to its probability. */
function contextSignals(
  input: AnalysisInput,
  lexiconScore: number,
  trajectory: AnalysisResult["trajectory"],
  config: Lexicons["complaint"],
): ContextSignal[] {
  const signals: ContextSignal[] = [];
  if (trajectory?.trend === "worsening" && trajectory.end < -0.1)
    signals.push({ code: "falling_sentiment", strength: Math.min(1, trajectory.start - trajectory.end) });
  const { waitSeconds, holdSeconds } = input.context ?? {};
  const { chat: chatWait, call_note: holdWait } = config.longWaitSeconds;
  if (waitSeconds !== undefined && waitSeconds >= chatWait)
    signals.push({
      code: "long_wait",
      strength: waitSeconds / (2 * chatWait),
      detail: `(${Math.round(waitSeconds)} s in queue)`,
    });
  if (holdSeconds !== undefined && holdSeconds >= holdWait)
    signals.push({
      code: "long_wait",
      strength: holdSeconds / (2 * holdWait),
      detail: `(${Math.round(holdSeconds)} s on hold)`,
    });
  // Only a post the caller says is public: the text model's probability already holds for social
  // text in general, and adding to every tweet would undo its calibration.
  if (input.channel === "social" && input.context?.public === true && lexiconScore <= -0.1)
    signals.push({ code: "public_post", strength: 1 });
  return signals;
}

/** Signals whose weight a conversation that ended well should halve: the problem was voiced, then settled. */
const EMOTIONAL = new Set(["negative_sentiment", "anger", "frustration", "complaint", "falling_sentiment"]);

function riskSignals(
  input: AnalysisInput,
  overall: Scored,
  customerSentences: AnalysedSentence[],
  emotions: AnalysisResult["emotions"],
  needs: AnalysisResult["needs"],
  trajectory: AnalysisResult["trajectory"],
  config: Lexicons["complaint"],
): RiskSignal[] {
  const signals: RiskSignal[] = [];
  let lowest = 0;
  for (const s of customerSentences) if (s.score < lowest) lowest = s.score;
  // The overall score, or a sharply negative moment within an otherwise mixed message.
  const negativity = Math.max(-overall.score, -lowest * 0.75);
  if (negativity > 0.05)
    signals.push({
      code: "negative_sentiment",
      strength: (negativity - 0.05) / 0.6,
      detail: formatScore(Math.min(overall.score, lowest)),
    });
  for (const e of emotions)
    if (e.id === "anger" || e.id === "frustration") signals.push({ code: e.id, strength: e.score });
  for (const n of needs) signals.push({ code: n.id, strength: n.confidence, detail: `("${n.evidence[0]}")` });
  if (trajectory?.trend === "worsening" && trajectory.end < -0.1)
    signals.push({ code: "falling_sentiment", strength: Math.min(1, trajectory.start - trajectory.end) });
  const { waitSeconds, holdSeconds } = input.context ?? {};
  const { chat: chatWait, call_note: holdWait } = config.longWaitSeconds;
  if (waitSeconds !== undefined && waitSeconds >= chatWait)
    signals.push({
      code: "long_wait",
      strength: waitSeconds / (2 * chatWait),
      detail: `(${Math.round(waitSeconds)} s in queue)`,
    });
  if (holdSeconds !== undefined && holdSeconds >= holdWait)
    signals.push({
      code: "long_wait",
      strength: holdSeconds / (2 * holdWait),
      detail: `(${Math.round(holdSeconds)} s on hold)`,
    });
  if (input.channel === "social" && input.context?.public !== false && overall.score <= -0.1)
    signals.push({ code: "public_post", strength: 1 });
  const recovered = trajectory?.trend === "improving" && trajectory.end >= 0.1;
  return recovered ? signals.map((s) => (EMOTIONAL.has(s.code) ? { ...s, strength: s.strength * 0.5 } : s)) : signals;
}
