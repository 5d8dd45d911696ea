import type { CueHit } from "./cues.js";
import { noisyOr, type Lexicons } from "./lexicons.js";
import type { AnalysedSentence } from "./sentences.js";
import type { Clause } from "./sentiment.js";
import { firstEndingAfter, sortSmall } from "./ordered.js";
import type { EmotionResult, NeedResult, TopicResult } from "./types.js";

interface Collected {
  id: string;
  /** Lower-cased evidence, each once, in the order first seen; `weights` and `evidence` run in parallel. */
  keys: string[];
  /** Highest weight per piece of evidence. */
  weights: number[];
  /** The evidence as written. */
  evidence: string[];
  /** Position of each key, made once an id has many pieces of evidence (a hostile text can hold thousands). */
  index?: Map<string, number>;
}

/** The clause holding token `at`, if any. */
function clauseAt(clauses: Clause[], at: number): Clause | undefined {
  const clause = clauses[firstEndingAfter(clauses, "to", at)];
  return clause && clause.from <= at ? clause : undefined;
}

/** Distinct pieces of evidence for one id up to which a linear search is cheaper than a map. */
const LINEAR_KEYS = 16;

function positionOf(entry: Collected, key: string): number {
  if (entry.index) return entry.index.get(key) ?? -1;
  if (entry.keys.length >= LINEAR_KEYS) {
    entry.index = new Map(entry.keys.map((k, i) => [k, i]));
    return entry.index.get(key) ?? -1;
  }
  return entry.keys.indexOf(key);
}

/**
 * Groups the sentences' cues by id, in the order ids are first seen; one piece of evidence counts
 * once, at its highest weight. Arrays, not maps: a message has a few cues, and a map per id and per
 * message was a good part of what analysis allocated.
 */
function collect(sentences: AnalysedSentence[], cuesOf: (s: AnalysedSentence) => CueHit[]): Collected[] {
  const out: Collected[] = [];
  // Indexed loops: this runs three times per message, and for-of's iterators were not always optimised away.
  for (let k = 0; k < sentences.length; k++) {
    const cues = cuesOf(sentences[k]);
    for (let q = 0; q < cues.length; q++) {
      const c = cues[q];
      let entry: Collected | undefined;
      for (let e = 0; e < out.length && entry === undefined; e++) if (out[e].id === c.id) entry = out[e];
      const key = c.evidence.toLowerCase();
      // Literals of one element: an empty array's first push reserves room for 17.
      if (!entry) {
        out.push({ id: c.id, keys: [key], weights: [c.weight], evidence: [c.evidence] });
        continue;
      }
      const at = positionOf(entry, key);
      if (at < 0) {
        entry.index?.set(key, entry.keys.length);
        entry.keys.push(key);
        entry.weights.push(c.weight);
        entry.evidence.push(c.evidence);
      } else if (c.weight > entry.weights[at]) entry.weights[at] = c.weight;
    }
  }
  return out;
}

const emotionCues = (s: AnalysedSentence) => s.emotionCues;
const needCues = (s: AnalysedSentence) => s.needCues;
const topicCues = (s: AnalysedSentence) => s.topicCues;

const round = (x: number) => Math.round(x * 100) / 100;
const byScoreDescending = (a: { score: number }, b: { score: number }) => b.score - a.score;
const MIN_EMOTION = 0.35;

export function emotionsOf(sentences: AnalysedSentence[], lex: Lexicons): EmotionResult[] {
  const out: EmotionResult[] = [];
  for (const { id, weights, evidence } of collect(sentences, emotionCues)) {
    const score = noisyOr(weights);
    if (score >= MIN_EMOTION)
      out.push({ id, label: lex.emotions.labels.get(id) ?? id, score: round(score), evidence: evidence.slice(0, 5) });
  }
  return sortSmall(out, byScoreDescending);
}

export function needsOf(sentences: AnalysedSentence[], lex: Lexicons): NeedResult[] {
  const out: NeedResult[] = [];
  for (const { id, weights, evidence } of collect(sentences, needCues)) {
    const confidence = noisyOr(weights);
    if (confidence >= lex.needs.minConfidence) {
      out.push({
        id,
        label: lex.needs.labels.get(id) ?? id,
        confidence: round(confidence),
        evidence: evidence.slice(0, 5),
      });
    }
  }
  return sortSmall(out, (a, b) => b.confidence - a.confidence);
}

/**
 * Topics with their own sentiment: the score of the clauses that mention the topic, so
 * "the app is great but the fees are outrageous" gives the app a positive and fees a negative score.
 */
export function topicsOf(
  sentences: AnalysedSentence[],
  lex: Lexicons,
  opinionOf: (s: AnalysedSentence) => boolean,
): TopicResult[] {
  let clauseScores: Map<string, number[]> | undefined;
  for (const s of sentences) {
    if (!opinionOf(s) || s.topicCues.length === 0) continue;
    clauseScores ??= new Map();
    for (const cue of s.topicCues) {
      const clause = clauseAt(s.clauses, cue.at);
      const score = clause && clause.score !== 0 ? clause.score : s.score;
      const scores = clauseScores.get(cue.id);
      if (scores) scores.push(score);
      else clauseScores.set(cue.id, [score]);
    }
  }
  const out: TopicResult[] = [];
  for (const { id, weights, evidence } of collect(sentences, topicCues)) {
    const score = noisyOr(weights);
    if (score < lex.topics.minScore) continue;
    const scores = clauseScores?.get(id) ?? [];
    const opinionated = scores.filter((x) => x !== 0);
    const sentiment = opinionated.length
      ? round(opinionated.reduce((a, b) => a + b, 0) / opinionated.length)
      : scores.length
        ? 0
        : null;
    out.push({
      id,
      label: lex.topics.labels.get(id) ?? id,
      score: round(score),
      sentiment,
      evidence: evidence.slice(0, 5),
    });
  }
  return sortSmall(out, byScoreDescending);
}
