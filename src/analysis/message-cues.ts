import { isNegated } from "./cues.js";
import type { LearnedOutputs } from "./learned/index.js";
import type { LexiconSources } from "./lexicon-schema.js";
import type { CompiledPattern, Lexicons } from "./lexicons.js";
import { sortSmall } from "./ordered.js";
import { LiteralPrefilter, PatternSet } from "./pattern-set.js";
import type { AnalysedSentence } from "./sentences.js";
import type { NeedResult, SentimentLabel } from "./types.js";

// What the learned layer's probabilities mean for one message, read from cue classes it cannot learn
// from the shared data: those sets have no upset customer who is not complaining, few flat reports of a
// failure and no agent's own words. A failure stated outright (an object and a failure predicate:
// "won't load", "keeps declining", "says invalid", "still hasn't arrived", "I don't recall placing")
// makes the message negative and adds to its complaint probability, and so also reads sarcasm (praise
// words beside a stated failure). A problem settled after it was stated ("lost my card, the new one
// arrived Monday") counts as a conversation that recovered does. Without a failure, distress the
// company did not cause (bereavement, a lost wallet, one's own mistake), a problem said not to exist
// ("no problems at all"), a disclaimer ("not complaining, just asking"), an agent's courtesy and a
// plain question each lower the probability; thanks and "please" alone do not make a request praise.

export const CUE_CLASSES = [
  "failure",
  "resolved",
  "circumstance",
  "problemFree",
  "disclaimer",
  "agent",
  "question",
  "courtesy",
] as const;
export type CueClass = (typeof CUE_CLASSES)[number];
type Source = NonNullable<LexiconSources["complaint"]["cues"]>;

/** The cue classes compiled: one pattern set over all of them, the failure needs, the factors. */
export interface MessageCueLexicon {
  patterns: PatternSet<CueClass>;
  failureNeeds: Map<string, number>;
  reportedNeeds: Map<string, number>;
  questionMinScore: number;
  questionChannels: Set<string>;
  courtesyWords: Set<string>;
  factors: Required<Source["factors"]>;
}

const NO_CHANGE: Required<Source["factors"]> = {
  resolved: 1,
  circumstance: 1,
  problemFree: 1,
  disclaimer: 1,
  agent: 1,
  question: 1,
  courtesy: 1,
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
    failureNeeds: new Map(Object.entries(src.failureNeeds)),
    reportedNeeds: new Map(Object.entries(src.reportedNeeds)),
    questionMinScore: src.questionMinScore,
    questionChannels: new Set(src.questionChannels),
    courtesyWords: new Set(src.courtesyWords.map((w) => w.toLowerCase())),
    factors: { ...NO_CHANGE, ...src.factors },
  };
}

/** What one message's customer sentences hold, class by class (failure evidence as written). */
export interface MessageCues {
  failure: string[];
  /** A positive outcome stated with no failure stated after it. */
  resolved: boolean;
  circumstance: boolean;
  problemFree: boolean;
  disclaimer: boolean;
  /** Every sentence is a question or the agent's courtesy, and at least one is a question. */
  plainQuestion: boolean;
  /** No customer sentence scores below the lexicon's `questionMinScore` (a question with no negative words). */
  mild: boolean;
  /** At least half the sentences are the agent's own courtesy or call-note routine. */
  agentVoice: boolean;
  /** A polite request or formula whose only positive words are courtesy. */
  courtesyOnly: boolean;
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
    resolved: false,
    circumstance: false,
    problemFree: false,
    disclaimer: false,
    plainQuestion: false,
    mild: true,
    agentVoice: false,
    courtesyOnly: false,
  };
  let questions = 0;
  let agent = 0;
  let lowest = 0;
  let courtesy = false;
  let otherPositive = false;
  // Positions (sentence × 10⁴ + offset) of the last failure and the last positive outcome stated.
  let lastFailure = -1;
  let lastResolved = -1;
  /** The last sentence the lexicon reads as negative: an outcome stated before it settled nothing. */
  let lastNegative = -1;
  const statedNeeds = new Map<string, number>();
  sentences.forEach((s, k) => {
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
        lastFailure = Math.max(lastFailure, k * 1e4 + m.index);
      }
      if (payload === "resolved") lastResolved = Math.max(lastResolved, k * 1e4 + m.index);
      found.add(payload);
    }
    const question = found.has("question") || endsWithQuestion(s.text);
    if (question) questions++;
    if (s.score < lowest) lowest = s.score;
    if (s.score <= -0.1) lastNegative = k;
    if (found.has("agent")) agent++;
    if (found.has("circumstance")) out.circumstance = true;
    if (found.has("problemFree")) out.problemFree = true;
    if (found.has("disclaimer")) out.disclaimer = true;
    if (found.has("courtesy")) courtesy = true;
    for (const d of s.drivers) if (d.weight > 0 && !cues.courtesyWords.has(d.term.toLowerCase())) otherPositive = true;
    for (const c of s.needCues) {
      const min = cues.failureNeeds.get(c.id) ?? (question ? undefined : cues.reportedNeeds.get(c.id));
      if (min !== undefined) statedNeeds.set(c.id, Math.min(min, statedNeeds.get(c.id) ?? 1));
    }
  });
  for (const n of needs) {
    const min = statedNeeds.get(n.id);
    if (min !== undefined && n.confidence >= min) out.failure.push(n.evidence[0]);
  }
  const n = sentences.length;
  // A need's position is not tracked: an outcome stated last settles the failures the needs report.
  out.resolved = lastResolved >= 0 && lastResolved > lastFailure && lastResolved >= lastNegative * 1e4;
  out.agentVoice = n > 0 && 2 * agent >= n;
  out.plainQuestion = questions > 0 && questions + agent >= n;
  out.mild = lowest >= cues.questionMinScore;
  out.courtesyOnly = courtesy && !otherPositive;
  return out;
}

export type CueBranch =
  | "agent"
  | "resolved"
  | "failure"
  | "circumstance"
  | "problemFree"
  | "disclaimer"
  | "question"
  | "courtesy"
  | "none";

/**
 * Which class decides the message: an agent's courtesy, else a problem settled, else a stated
 * failure, else the first distress, reassurance, question or courtesy that holds.
 */
export function cueBranch(cues: MessageCues): CueBranch {
  if (cues.agentVoice && cues.failure.length === 0) return "agent";
  if (cues.resolved) return "resolved";
  if (cues.failure.length > 0) return "failure";
  if (cues.circumstance) return "circumstance";
  if (cues.problemFree) return "problemFree";
  if (cues.disclaimer) return "disclaimer";
  if (cues.plainQuestion) return "question";
  if (cues.courtesyOnly) return "courtesy";
  return "none";
}

/** The label's band: a score moved just inside it when the label is overridden. */
function scoreWithin(score: number, label: SentimentLabel, bands: { positive: number; negative: number }): number {
  if (label === "negative") return Math.min(score, bands.negative - 0.05);
  if (label === "positive") return Math.max(score, bands.positive + 0.05);
  return Math.min(Math.max(score, bands.negative + 0.05), bands.positive - 0.05);
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const FAILURE_CODE = "stated_failure";

/** The label each class gives, from the learned one. */
function labelFor(branch: CueBranch, learned: SentimentLabel): SentimentLabel {
  switch (branch) {
    case "failure":
      return "negative";
    case "resolved":
    case "problemFree":
      return "positive";
    case "circumstance":
      return learned === "positive" ? learned : "negative";
    case "courtesy":
      return "neutral";
    case "agent":
    case "disclaimer":
    case "question":
      return learned === "negative" ? "neutral" : learned;
    default:
      return learned;
  }
}

/**
 * The learned outputs read in the light of the message's cue classes (changed in place). The
 * complaint probability is scaled by the deciding class's factor, or combined with the stated-failure
 * signal's weight as the context signals are (1 − (1 − p)(1 − w)); the label follows the class.
 */
export function applyMessageCues(
  learned: LearnedOutputs,
  cues: MessageCues,
  lex: Lexicons,
  cueLex: MessageCueLexicon,
  channel = "text",
) {
  const { complaint, sentiment } = learned;
  const branch = cueBranch(cues);
  if (branch === "none") return;
  if (branch === "failure") {
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
  } else if (branch !== "question" || cueLex.questionChannels.has(channel))
    complaint.risk = round2(complaint.risk * cueLex.factors[branch]);
  complaint.flagged = complaint.risk >= complaint.threshold;
  // A question with negative words ("what if my card is stolen?") keeps the learned label.
  const label = branch === "question" && !cues.mild ? sentiment.label : labelFor(branch, sentiment.label);
  if (label !== sentiment.label) {
    sentiment.label = label;
    sentiment.score = Math.round(scoreWithin(sentiment.score, label, lex.sentiment.labels) * 1000) / 1000;
  }
}
