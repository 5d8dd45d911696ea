// The scorers bench:quality compares, behind one small interface: what a scorer says about one text,
// and how to get the same scorer trained without a data set (the never-seen column).
import Sentiment from "sentiment";
import vader from "vader-sentiment";
import { createAnalyzer, type Analyzer } from "../../src/analysis/index.js";
import type { Lexicons } from "../../src/analysis/lexicons.js";
import type { Polarity } from "../datasets.js";

export type Channel = "social" | "chat" | "text";

/** What a scorer says about one text. Optional fields are left out by scorers that have no such output. */
export interface Scores {
  /** Signed sentiment, higher is more positive. */
  sentiment: number;
  polarity: Polarity;
  /** Ranks messages by how likely they are complaints; in [0, 1] when the scorer gives `probabilities`. */
  risk: number;
  /** The scorer's own yes/no at its shipped threshold. */
  flagged: boolean;
  /** Emotions found, with their confidences (Earshot's six ids). */
  emotions?: Map<string, number>;
}

export interface ScorerUnderTest {
  name: string;
  /**
   * Whether `risk` and the emotion confidences lie in [0, 1] and so can be read as probabilities
   * (Brier and ECE apply; how well calibrated they are is what those figures say).
   */
  probabilities: boolean;
  /**
   * The data sets (ids as in bench/quality/sets.ts; a folder covers its `folder:part`s) this scorer
   * was tuned or trained on: "all" for rules written while reading every set, [] for one that saw none.
   */
  tunedOn: "all" | readonly string[];
  score(text: string, channel: Channel): Scores;
  /**
   * The same scorer trained without data set `id` (its figures on `id` are never-seen ones); null
   * when no training leaves the set unseen (the figure comes from rules tuned on it).
   */
  trainWithout?(id: string): Promise<ScorerUnderTest | null>;
}

export const sawSet = (s: ScorerUnderTest, id: string) =>
  s.tunedOn === "all" || s.tunedOn.some((t) => id === t || id.startsWith(`${t}:`));

/** Earshot's analysis as `npm start` runs it: whatever the lexicon bundle holds (rules, and a model if it has one). */
export function earshotScorer(
  name: string,
  lex: Lexicons,
  options: {
    probabilities: boolean;
    tunedOn: ScorerUnderTest["tunedOn"];
    trainWithout?: ScorerUnderTest["trainWithout"];
  },
): ScorerUnderTest {
  const analyzer: Analyzer = createAnalyzer(lex);
  return {
    name,
    probabilities: options.probabilities,
    tunedOn: options.tunedOn,
    trainWithout: options.trainWithout,
    score(text, channel) {
      // Tweets are public posts, which is itself complaint-risk evidence in the engine.
      const a = analyzer.analyze({ channel, text, context: { public: channel === "social" } }).stored;
      return {
        // A text in a language the engine does not analyse has no score: no opinion, for these metrics.
        sentiment: a.sentiment.score ?? 0,
        polarity: a.sentiment.label === "not_analysed" ? "neutral" : a.sentiment.label,
        risk: a.complaint.risk,
        flagged: a.complaint.flagged,
        emotions: new Map(a.emotions.map((e) => [e.id, e.score])),
      };
    },
  };
}

/**
 * VADER's compound score, with its authors' neutral band (±0.05). Its "complaint" is a negative
 * message: flagged below −0.05, ranked by −compound. VADER never saw these sets.
 */
export const vaderScorer: ScorerUnderTest = {
  name: "VADER",
  probabilities: false,
  tunedOn: [],
  score(text) {
    const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
    return {
      sentiment: c,
      polarity: c >= 0.05 ? "positive" : c <= -0.05 ? "negative" : "neutral",
      risk: -c,
      flagged: c <= -0.05,
    };
  },
};

const afinn = new Sentiment();

/** The `sentiment` package (AFINN-165): its comparative score, positive above 0, negative below. */
export const sentimentScorer: ScorerUnderTest = {
  name: "sentiment",
  probabilities: false,
  tunedOn: [],
  score(text) {
    const c = afinn.analyze(text).comparative;
    return { sentiment: c, polarity: c > 0 ? "positive" : c < 0 ? "negative" : "neutral", risk: -c, flagged: c < 0 };
  },
};
