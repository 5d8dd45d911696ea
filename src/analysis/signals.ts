import type { CueHit } from "./cues.js";
import { noisyOr, type Lexicons } from "./lexicons.js";
import type { AnalysedSentence } from "./sentences.js";
import type { EmotionResult, NeedResult, TopicResult } from "./types.js";

interface Collected {
  /** Highest weight per piece of evidence (lower-cased), in the order first seen. */
  weights: Map<string, number>;
  evidence: string[];
}

/** Groups the sentences' cues by id; one piece of evidence counts once, at its highest weight. */
function collect(sentences: AnalysedSentence[], cuesOf: (s: AnalysedSentence) => CueHit[]): Map<string, Collected> {
  const byId = new Map<string, Collected>();
  for (const s of sentences) {
    for (const c of cuesOf(s)) {
      let entry = byId.get(c.id);
      if (!entry) byId.set(c.id, (entry = { weights: new Map(), evidence: [] }));
      const key = c.evidence.toLowerCase();
      const seen = entry.weights.get(key);
      if (seen === undefined) entry.evidence.push(c.evidence);
      if (seen === undefined || c.weight > seen) entry.weights.set(key, c.weight);
    }
  }
  return byId;
}

/** Independent pieces of evidence combined: 1 - prod(1 - w). */
function combined(c: Collected): number {
  const weights: number[] = [];
  for (const w of c.weights.values()) weights.push(w);
  return noisyOr(weights);
}

const emotionCues = (s: AnalysedSentence) => s.emotionCues;
const needCues = (s: AnalysedSentence) => s.needCues;
const topicCues = (s: AnalysedSentence) => s.topicCues;

const round = (x: number) => Math.round(x * 100) / 100;
const MIN_EMOTION = 0.35;

export function emotionsOf(sentences: AnalysedSentence[], lex: Lexicons): EmotionResult[] {
  const out: EmotionResult[] = [];
  for (const [id, c] of collect(sentences, emotionCues)) {
    const score = combined(c);
    if (score >= MIN_EMOTION) out.push({ id, label: lex.emotions.labels.get(id) ?? id, score: round(score), evidence: c.evidence.slice(0, 5) });
  }
  return out.sort((a, b) => b.score - a.score);
}

export function needsOf(sentences: AnalysedSentence[], lex: Lexicons): NeedResult[] {
  const out: NeedResult[] = [];
  for (const [id, c] of collect(sentences, needCues)) {
    const confidence = combined(c);
    if (confidence >= lex.needs.minConfidence) {
      out.push({ id, label: lex.needs.labels.get(id) ?? id, confidence: round(confidence), evidence: c.evidence.slice(0, 5) });
    }
  }
  return out.sort((a, b) => b.confidence - a.confidence);
}

/**
 * Topics with their own sentiment: the score of the clauses that mention the topic, so
 * "the app is great but the fees are outrageous" gives the app a positive and fees a negative score.
 */
export function topicsOf(sentences: AnalysedSentence[], lex: Lexicons, opinionOf: (s: AnalysedSentence) => boolean): TopicResult[] {
  const clauseScores = new Map<string, number[]>();
  for (const s of sentences) {
    if (!opinionOf(s)) continue;
    for (const cue of s.topicCues) {
      const clause = s.clauses.find((c) => cue.at >= c.from && cue.at < c.to);
      const score = clause && clause.score !== 0 ? clause.score : s.score;
      const scores = clauseScores.get(cue.id);
      if (scores) scores.push(score);
      else clauseScores.set(cue.id, [score]);
    }
  }
  const out: TopicResult[] = [];
  for (const [id, c] of collect(sentences, topicCues)) {
    const score = combined(c);
    if (score < lex.topics.minScore) continue;
    const scores = clauseScores.get(id) ?? [];
    const opinionated = scores.filter((x) => x !== 0);
    const sentiment = opinionated.length ? round(opinionated.reduce((a, b) => a + b, 0) / opinionated.length) : scores.length ? 0 : null;
    out.push({ id, label: lex.topics.labels.get(id) ?? id, score: round(score), sentiment, evidence: c.evidence.slice(0, 5) });
  }
  return out.sort((a, b) => b.score - a.score);
}
