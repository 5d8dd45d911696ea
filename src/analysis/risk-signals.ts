import type { RiskSignal } from "./complaint-risk.js";
import { formatScore } from "./complaint-risk.js";
import type { ContextSignal } from "./learned/index.js";
import type { Lexicons } from "./lexicons.js";
import type { AnalysedSentence } from "./sentences.js";
import type { AnalysisInput, AnalysisResult, Scored } from "./types.js";

/** The customer's mood falling through a conversation, and the waits they sat through: read from outside their words. */
function journeySignals(
  input: AnalysisInput,
  trajectory: AnalysisResult["trajectory"],
  config: Lexicons["complaint"],
  signals: ContextSignal[],
): void {
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
}

/** Evidence from outside the customer's words, which the learned layer adds to its probability. */
export function contextSignals(
  input: AnalysisInput,
  lexiconScore: number,
  trajectory: AnalysisResult["trajectory"],
  config: Lexicons["complaint"],
): ContextSignal[] {
  const signals: ContextSignal[] = [];
  journeySignals(input, trajectory, config, signals);
  // Only a post the caller says is public: the text model's probability already holds for social
  // text in general, and adding to every tweet would undo its calibration.
  if (input.channel === "social" && input.context?.public === true && lexiconScore <= -0.1)
    signals.push({ code: "public_post", strength: 1 });
  return signals;
}

/** Signals whose weight a conversation that ended well should halve: the problem was voiced, then settled. */
const EMOTIONAL = new Set(["negative_sentiment", "anger", "frustration", "complaint", "falling_sentiment"]);

/** The lexicon engine's own risk signals, for the texts the learned model does not read. */
export function riskSignals(
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
  journeySignals(input, trajectory, config, signals);
  if (input.channel === "social" && input.context?.public !== false && overall.score <= -0.1)
    signals.push({ code: "public_post", strength: 1 });
  const recovered = trajectory?.trend === "improving" && trajectory.end >= 0.1;
  return recovered ? signals.map((s) => (EMOTIONAL.has(s.code) ? { ...s, strength: s.strength * 0.5 } : s)) : signals;
}
