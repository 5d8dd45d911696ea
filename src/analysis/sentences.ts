import { findCues, isNegated, type CueHit } from "./cues.js";
import { TERM_FAMILY, type Lexicons, type SentimentWord } from "./lexicons.js";
import { labelOf, scoreSentence, type SentenceSentiment } from "./sentiment.js";
import { isAllCaps, splitSentences, tokenize, type Token } from "./text.js";
import type { TokenInfo } from "./token-info.js";
import type { SentimentLabel, Speaker } from "./types.js";

/** One piece of text with who wrote it: a turn, agent notes, an email body or subject. */
export interface Segment {
  text: string;
  speaker?: Speaker;
  turn?: number;
}

/** A sentence of a segment with its tokens: split and tokenised once, read by every later step. */
export interface SplitSentence {
  text: string;
  /** Offset of the sentence in its segment. */
  start: number;
  tokens: Token[];
}

export function splitSegment(segment: Segment): SplitSentence[] {
  const out: SplitSentence[] = [];
  for (const s of splitSentences(segment.text)) out.push({ text: s.text, start: s.start, tokens: tokenize(s.text) });
  return out;
}

export interface AnalysedSentence extends SentenceSentiment {
  text: string;
  label: SentimentLabel;
  speaker?: Speaker;
  turn?: number;
  emotionCues: CueHit[];
  topicCues: CueHit[];
  needCues: CueHit[];
}

/** Positive emotions do not count where they are negated or the sentence is negative ("thanks for nothing"). */
const POSITIVE_EMOTIONS = new Set(["gratitude"]);

/**
 * Analyses each sentence of a segment. With `sentimentOnly`, the sentences of another language are
 * scored with that language's sentiment lexicon and no cue lexicon (those are English) is applied.
 */
export function analyseSegment(
  segment: Segment,
  lex: Lexicons,
  sentimentOnly?: Lexicons["sentiment"],
  into: AnalysedSentence[] = [],
  split: SplitSentence[] = splitSegment(segment),
): AnalysedSentence[] {
  for (const s of split) into.push(analyseSentence(s.text, s.tokens, segment, lex, sentimentOnly));
  return into;
}

const NO_CUES: CueHit[] = [];

/**
 * Whether the cue at `at` is negated by the lexicon's own negators: one of the three words before it
 * (in the clause), or a word after it that negates what comes before (Korean 취소하지 않을게요).
 * The English negators are also matched by isNegated's word list.
 */
function negatedByLexicon(tokens: Token[], words: Array<SentimentWord | undefined>, at: number): boolean {
  for (let j = at - 1; j >= 0 && j >= at - 3; j--) {
    if (tokens[j].kind === "punct") break;
    if (words[j]?.negator) return true;
  }
  return words[at + 1]?.negatesPrevious === true;
}

function analyseSentence(
  text: string,
  tokens: Token[],
  segment: Segment,
  lex: Lexicons,
  sentimentOnly?: Lexicons["sentiment"],
): AnalysedSentence {
  if (sentimentOnly) {
    const sentiment = scoreSentence(text, sentimentOnly, tokens);
    const label = labelOf(sentiment.score, sentimentOnly.labels);
    return {
      score: sentiment.score,
      drivers: sentiment.drivers,
      tokens,
      clauses: sentiment.clauses,
      text,
      label,
      speaker: segment.speaker,
      turn: segment.turn,
      emotionCues: [],
      topicCues: [],
      needCues: [],
    };
  }
  // One lookup per token answers the vocabulary, the stem and every term family.
  const n = tokens.length;
  const infos: Array<TokenInfo<SentimentWord>> = new Array(n);
  const stems: string[] = new Array(n);
  const words: Array<SentimentWord | undefined> = new Array(n);
  for (let i = 0; i < n; i++) {
    const info = lex.tokens.get(tokens[i].lower, tokens[i].kind === "word");
    infos[i] = info;
    stems[i] = info.stem;
    words[i] = info.word;
  }
  const sentiment = scoreSentence(text, lex.sentiment, tokens, words);
  const label = labelOf(sentiment.score, lex.sentiment.labels);

  // Emotions and needs are the customer's: agent and bot sentences only need sentiment and topics.
  const customerSide = segment.speaker !== "agent" && segment.speaker !== "bot";
  const emotionCues: CueHit[] = customerSide ? [] : NO_CUES;
  const needCues: CueHit[] = customerSide ? [] : NO_CUES;
  if (customerSide) {
    for (const c of findCues(
      text,
      tokens,
      stems,
      lex.emotions.terms,
      lex.emotions.patterns,
      false,
      infos,
      TERM_FAMILY.emotions,
    )) {
      const negated = c.at >= 0 && (isNegated(tokens, c.at) || negatedByLexicon(tokens, words, c.at));
      // Positive emotions do not count where they are negated or the sentence is negative ("thanks for nothing").
      if (!negated && (!POSITIVE_EMOTIONS.has(c.id) || sentiment.score >= 0)) emotionCues.push(c);
    }
    if (sentiment.score < 0) {
      const shouted: string[] = [];
      for (const t of tokens) if (t.kind === "word" && t.text.length >= 2 && isAllCaps(t.text)) shouted.push(t.text);
      if (shouted.length >= 3) emotionCues.push({ id: "anger", weight: 0.5, evidence: shouted.join(" "), at: -1 });
    }
    for (const c of findCues(
      text,
      tokens,
      stems,
      lex.needs.terms,
      lex.needs.patterns,
      true,
      infos,
      TERM_FAMILY.needs,
    )) {
      if (c.at >= 0 && (isNegated(tokens, c.at) || negatedByLexicon(tokens, words, c.at))) continue;
      if (lex.needs.requiresNegative.has(c.id) && sentiment.score > 0.05) continue;
      if (lex.needs.requiresPositive.has(c.id) && sentiment.score < lex.sentiment.labels.positive) continue;
      needCues.push(c);
    }
    // A strongly negative sentence is a complaint even without the word "complaint".
    if (sentiment.score <= -0.5 && sentiment.drivers.length > 0) {
      needCues.push({
        id: "complaint",
        weight: 0.45,
        evidence: sentiment.drivers.map((d) => d.term).join(", "),
        at: -1,
      });
    }
  }

  // Topics are terms only (no patterns), for every speaker.
  const topicCues = findCues(text, tokens, stems, lex.topics.terms, undefined, false, infos, TERM_FAMILY.topics);

  // Properties listed, not spread: spreading into a literal with more properties is V8's slow path,
  // and this runs for every sentence.
  return {
    score: sentiment.score,
    drivers: sentiment.drivers,
    tokens,
    clauses: sentiment.clauses,
    text,
    label,
    speaker: segment.speaker,
    turn: segment.turn,
    emotionCues,
    topicCues,
    needCues,
  };
}

/**
 * Sentence scores into one score without letting length saturate it: an average in which opinionated
 * sentences weigh more and neutral ones dilute only a little, so one angry sentence in a long polite
 * email still shows while a 2,000-word email does not pile up to -1.
 */
export function aggregateScores(sentences: ReadonlyArray<{ score: number }>): number {
  let num = 0;
  let den = 0;
  let neutralWeight = 0;
  for (const { score: s } of sentences) {
    if (Math.abs(s) < 0.05) {
      neutralWeight += 0.15;
      continue;
    }
    const w = 0.5 + Math.abs(s);
    num += w * s;
    den += w;
  }
  if (den === 0) return 0;
  return Math.round((num / (den + Math.min(neutralWeight, 1.5))) * 1000) / 1000;
}
