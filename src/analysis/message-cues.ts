import { isNegated } from "./cues.js";
import type { LearnedOutputs } from "./learned/index.js";
import type { CompiledPattern, Lexicons } from "./lexicons.js";
import { sortSmall } from "./ordered.js";
import { LiteralPrefilter, PatternSet } from "./pattern-set.js";
import type { AnalysedSentence } from "./sentences.js";
import type { LexiconSources } from "./lexicon-schema.js";
import type { NeedResult, SentimentLabel } from "./types.js";

// What the learned layer's probabilities mean for one message, read from cue classes it cannot learn
// from the shared data: those sets have no upset customer who is not complaining, few flat reports of a
// failure and no agent's own words. A failure stated outright (an object and a failure predicate:
// "won't load", "keeps declining", "says invalid", "still hasn't arrived", "I don't recall placing")
// makes the message negative and adds to its complaint probability, and so also reads sarcasm (praise
// words beside a stated failure). Without one, distress the company did not cause (bereavement, a lost
// wallet, one's own mistake), a problem said not to exist ("no problems at all"), a disclaimer ("not
// complaining, just asking"), an agent's courtesy and a plain question each lower the probability.

export const CUE_CLASSES = ["failure", "circumstance", "problemFree", "disclaimer", "agent", "question"] as const;
export type CueClass = (typeof CUE_CLASSES)[number];
type Factors = NonNullable<LexiconSources["complaint"]["cues"]>["factors"];

/** The cue classes compiled: one pattern set over all of them, the failure needs, the factors. */
export interface MessageCueLexicon {
  patterns: PatternSet<CueClass>;
  failureNeeds: Set<string>;
  reportedNeeds: Set<string>;
  minNeedConfidence: number;
  questionMinScore: number;
  factors: Required<Factors>;
}

const DEFAULT_FACTORS: Required<Factors> = {
  circumstance: 1,
  problemFree: 1,
  disclaimer: 1,
  agent: 1,
  question: 1,
};

export function compileMessageCues(
  src: LexiconSources["complaint"]["cues"],
  prefilter = new LiteralPrefilter(),
): MessageCueLexicon | undefined {
  if (!src) return undefined;
  const patterns: CompiledPattern<CueClass>[] = [];
  for (const cls of CUE_CLASSES)
    for (const source of Object.keys(src[cls])) patterns.push({ regex: new RegExp(source, "i"), payload: cls });
  return {
    patterns: new PatternSet(patterns, prefilter),
    failureNeeds: new Set(src.failureNeeds),
    reportedNeeds: new Set(src.reportedNeeds),
    minNeedConfidence: src.minNeedConfidence,
    questionMinScore: src.questionMinScore,
    factors: { ...DEFAULT_FACTORS, ...src.factors },
  };
}

/** What one message's customer sentences hold, class by class (failure evidence as written). */
export interface MessageCues {
  failure: string[];
  circumstance: boolean;
  problemFree: boolean;
  disclaimer: boolean;
  /** Every sentence is a question or the agent's courtesy, and at least one is a question. */
  plainQuestion: boolean;
  /** At least half the sentences are the agent's own courtesy or call-note routine. */
  agentVoice: boolean;
}

/** A conditional opening the clause before a failure predicate. */
const HYPOTHETICAL = /\b(?:if|in case|whether|unless)\b[^,;:.!?]*$/;
const endsWithQuestion = (text: string) => /\?\W*$/.test(text);

export function messageCuesOf(
  sentences: AnalysedSentence[],
  needs: NeedResult[],
  cues: MessageCueLexicon,
): MessageCues {
  const out: MessageCues = {
    failure: [],
    circumstance: false,
    problemFree: false,
    disclaimer: false,
    plainQuestion: false,
    agentVoice: false,
  };
  let questions = 0;
  let lowest = 0;
  let agent = 0;
  const statedNeeds = new Set<string>();
  for (const s of sentences) {
    const found = new Set<CueClass>();
    const candidates = cues.patterns.candidates(s.text);
    const lower = candidates.length ? s.text.toLowerCase() : "";
    for (const { regex, payload } of candidates) {
      const m = regex.exec(lower);
      if (!m) continue;
      if (payload === "failure") {
        // "nothing damaged", "hasn't crashed once": a failure predicate under negation states none.
        const at = s.tokens.findIndex((t) => t.end > m.index);
        if (at >= 0 && isNegated(s.tokens, at)) continue;
        // "if my train is cancelled, can I …": a failure supposed is not one stated.
        if (HYPOTHETICAL.test(lower.slice(Math.max(0, m.index - 60), m.index))) continue;
        out.failure.push(m[0].trim());
      }
      found.add(payload);
    }
    const question = found.has("question") || endsWithQuestion(s.text);
    if (s.score < lowest) lowest = s.score;
    if (question) questions++;
    if (found.has("agent")) agent++;
    if (found.has("circumstance")) out.circumstance = true;
    if (found.has("problemFree")) out.problemFree = true;
    if (found.has("disclaimer")) out.disclaimer = true;
    // A failure need asked about ("can I freeze my card?") states no failure; one reported does.
    for (const c of s.needCues)
      if (cues.failureNeeds.has(c.id) || (!question && cues.reportedNeeds.has(c.id))) statedNeeds.add(c.id);
  }
  for (const n of needs)
    if (statedNeeds.has(n.id) && n.confidence >= cues.minNeedConfidence) out.failure.push(n.evidence[0]);
  const n = sentences.length;
  out.agentVoice = n > 0 && 2 * agent >= n;
  out.plainQuestion = questions > 0 && questions + agent >= n && lowest >= cues.questionMinScore;
  return out;
}

/** The label's band: a score moved just inside it when the label is overridden. */
function scoreWithin(score: number, label: SentimentLabel, bands: { positive: number; negative: number }): number {
  if (label === "negative") return Math.min(score, bands.negative - 0.05);
  if (label === "positive") return Math.max(score, bands.positive + 0.05);
  return Math.min(Math.max(score, bands.negative + 0.05), bands.positive - 0.05);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const FAILURE_CODE = "stated_failure";

/**
 * The learned outputs read in the light of the message's cue classes (changed in place). The
 * complaint probability is scaled by a class's factor, or combined with the stated-failure signal's
 * weight as the context signals are (1 − (1 − p)(1 − w)); the label follows the class.
 */
export type CueBranch = "agent" | "failure" | "circumstance" | "problemFree" | "disclaimer" | "question" | "none";

/** Which class decides the message: an agent's courtesy, else a stated failure, else the first distress or reassurance that holds. */
export function cueBranch(cues: MessageCues): CueBranch {
  if (cues.agentVoice && cues.failure.length === 0) return "agent";
  if (cues.failure.length > 0) return "failure";
  if (cues.circumstance) return "circumstance";
  if (cues.problemFree) return "problemFree";
  if (cues.disclaimer) return "disclaimer";
  if (cues.plainQuestion) return "question";
  return "none";
}

export function applyMessageCues(learned: LearnedOutputs, cues: MessageCues, lex: Lexicons, cueLex: MessageCueLexicon) {
  const { complaint, sentiment } = learned;
  const bands = lex.sentiment.labels;
  const branch = cueBranch(cues);
  let label: SentimentLabel = sentiment.label;
  let factor = 1;
  if (branch === "failure") {
    label = "negative";
    const def = lex.complaint.signals[FAILURE_CODE];
    if (def) {
      complaint.risk = round2(1 - (1 - complaint.risk) * (1 - def.weight));
      const evidence = [...new Set(cues.failure)].slice(0, 3).map((e) => `"${e}"`);
      complaint.reasons.push({
        code: FAILURE_CODE,
        text: `${def.reason} (${evidence.join(", ")})`,
        weight: def.weight,
      });
      complaint.reasons = sortSmall(complaint.reasons, (a, b) => b.weight - a.weight);
    }
  } else if (branch !== "none") {
    factor = cueLex.factors[branch];
    if (branch === "circumstance") {
      if (label !== "positive") label = "negative";
    } else if (branch === "problemFree") label = "positive";
    else if (label === "negative") label = "neutral";
  }
  if (factor !== 1) complaint.risk = round2(complaint.risk * factor);
  complaint.flagged = complaint.risk >= complaint.threshold;
  if (label !== sentiment.label) {
    sentiment.label = label;
    sentiment.score = Math.round(scoreWithin(sentiment.score, label, bands) * 1000) / 1000;
  }
}
