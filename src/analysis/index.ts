import { complaintRisk } from "./complaint-risk.js";
import { keyPhrases } from "./key-phrases.js";
import { learnedOutputs, type LexiconStage } from "./learned/index.js";
import { learnedSentiment } from "./learned/pack-sentiment.js";
import { languageFreeSignals, notAnalysedReason } from "./language-free.js";
import { detectLanguage, UNDETERMINED } from "./language.js";
import type { Lexicons } from "./lexicons.js";
import { maskFreeJson } from "./masking.js";
import { applyMessageCues, messageCuesOf } from "./message-cues.js";
import { mayHoldPii, redactText } from "./pii.js";
import { redacted, withCleanEvidence } from "./redaction.js";
import { contextSignals, riskSignals } from "./risk-signals.js";
import {
  customerTokens,
  interactionText,
  isCustomerSide,
  LANGUAGE_SAMPLE_CHARS,
  languageSample,
  normalised,
  segmentsOf,
  wordsOf,
} from "./segments.js";
import type { Driver } from "./sentiment.js";
import { labelOf } from "./sentiment.js";
import { type AnalysedSentence, aggregateScores, analyseSegment, splitSegment } from "./sentences.js";
import { emotionsOf, needsOf, topicsOf } from "./signals.js";
import { speakerScores } from "./speakers.js";
import { tokenize } from "./text.js";
import { trajectoryOf } from "./trajectory.js";
import type { AnalysisInput, AnalysisOutput, AnalysisResult, Scored, SentenceResult, TurnResult } from "./types.js";

export type { AnalysisInput, AnalysisOutput, AnalysisResult } from "./types.js";
export { complaintRisk, type RiskSignal } from "./complaint-risk.js";
export { interactionText } from "./segments.js";

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

const termMayHoldPii = (d: Driver) => mayHoldPii(d.term);

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
  // A language's own model gives its sentiment; its complaint risk stays with its rules, fed that sentiment.
  const packModel = pack?.model;
  if (packModel && customerSentences.length > 0) {
    const learned = learnedSentiment(packModel, stage, active.sentiment.labels);
    overall.score = learned.score;
    overall.label = learned.label;
  }
  if (scope === "full" && !pack && lex.model && customerSentences.length > 0) {
    const recovered = trajectory?.trend === "improving" && trajectory.end >= 0.1;
    const learned = learnedOutputs(
      lex.model,
      stage,
      lex,
      contextSignals(input, overall.score, trajectory, lex.complaint),
      recovered,
    );
    if (lex.messageCues)
      applyMessageCues(
        learned,
        messageCuesOf(customerSentences, storedNeeds, lex.messageCues),
        lex,
        lex.messageCues,
        input.channel,
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
