// The training corpus: every labeled row of the shared data sets that speaks to one of the model's
// heads, with the label per head (NaN where the row says nothing about that head).
import { fnv1a } from "../../src/analysis/learned/hashing.js";
import { airlineTweets, banking77, datasetLicense, goEmotions, goEmotionsSentimentGroups, isAirlineComplaint, tweetEval, uciSentences, type Polarity } from "../datasets.js";
import { banking77Needs, goEmotionsToOurs, tweetEvalEmotionToOurs } from "../label-maps.js";

export const EMOTIONS = Object.keys(goEmotionsToOurs);
export const HEADS = ["complaint", "sentiment:negative", "sentiment:neutral", "sentiment:positive", ...EMOTIONS.map((e) => `emotion:${e}`)];
const H = HEADS.length;

export interface Row {
  text: string;
  channel: "social" | "text";
  /** Data set id (and the airline's, for airline tweets): what `exclude` matches. */
  source: string;
  labels: Float32Array;
}

/**
 * Data set ids `exclude` accepts: a folder name, or `twitter-us-airline-sentiment:<airline>` (the
 * airline as the file names it, any case: Virgin America, United, Southwest, Delta, US Airways,
 * American), or `tweeteval:emotion`.
 */
export const DATASET_IDS = ["twitter-us-airline-sentiment", "goemotions", "uci-sentiment-labelled-sentences", "tweeteval", "banking77"] as const;

const empty = () => new Float32Array(H).fill(NaN);
const polarity = (labels: Float32Array, p: Polarity) => {
  labels[1] = p === "negative" ? 1 : 0;
  labels[2] = p === "neutral" ? 1 : 0;
  labels[3] = p === "positive" ? 1 : 0;
};

/** Banking queries reporting something wrong (a complaint) or only asking (not one); the rest say neither. */
const PROBLEM_NEEDS = new Set(["billing_dispute", "technical_problem", "fraud_report", "delivery_issue"]);

export function buildCorpus(): { rows: Row[]; trainedOn: Array<{ id: string; rows: number; license: string; source: string }> } {
  const rows: Row[] = [];
  for (const t of airlineTweets()) {
    const labels = empty();
    labels[0] = isAirlineComplaint(t) ? 1 : 0;
    polarity(labels, t.label);
    rows.push({ text: t.text, channel: "social", source: `twitter-us-airline-sentiment:${t.airline.toLowerCase()}`, labels });
  }
  const groups = goEmotionsSentimentGroups();
  for (const r of goEmotions("train")) {
    const labels = empty();
    EMOTIONS.forEach((e, k) => (labels[4 + k] = r.emotions.some((x) => goEmotionsToOurs[e].includes(x)) ? 1 : 0));
    const pos = r.emotions.some((x) => groups.positive.includes(x));
    const neg = r.emotions.some((x) => groups.negative.includes(x));
    if (r.emotions.length === 1 && r.emotions[0] === "neutral") polarity(labels, "neutral");
    else if (pos !== neg) polarity(labels, pos ? "positive" : "negative");
    rows.push({ text: r.text, channel: "text", source: "goemotions", labels });
  }
  for (const source of ["amazon_cells", "imdb", "yelp"] as const) {
    for (const r of uciSentences(source)) {
      const labels = empty();
      polarity(labels, r.positive ? "positive" : "negative");
      rows.push({ text: r.text, channel: "text", source: "uci-sentiment-labelled-sentences", labels });
    }
  }
  for (const r of tweetEval("emotion", "train")) {
    const labels = empty();
    const ours = tweetEvalEmotionToOurs[r.label];
    labels[4 + EMOTIONS.indexOf("anger")] = ours === "anger" ? 1 : 0;
    labels[4 + EMOTIONS.indexOf("disappointment")] = ours === "disappointment" ? 1 : 0;
    // Anger and sadness are negative tweets, joy and optimism positive ones; none of them is neutral.
    labels[1] = r.label === "anger" || r.label === "sadness" ? 1 : 0;
    labels[3] = r.label === "joy" || r.label === "optimism" ? 1 : 0;
    rows.push({ text: r.text, channel: "social", source: "tweeteval:emotion", labels });
  }
  for (const r of banking77()) {
    const needs = banking77Needs[r.label];
    if (!needs) continue;
    const problem = needs.some((n) => PROBLEM_NEEDS.has(n));
    const question = needs.every((n) => n === "information_request");
    if (!problem && !question) continue;
    const labels = empty();
    labels[0] = problem ? 1 : 0;
    rows.push({ text: r.text, channel: "text", source: "banking77", labels });
  }
  const count = (prefix: string) => rows.filter((r) => r.source === prefix || r.source.startsWith(`${prefix}:`)).length;
  const trainedOn = DATASET_IDS.map((id) => ({ id, rows: count(id), license: datasetLicense(id), source: `../shared/datasets/${id} (see its PROVENANCE.md)` }));
  return { rows, trainedOn };
}

/** Whether `exclude` leaves a row out: a data set id, or one part of it (`id:part`), any case. */
export function excluded(source: string, exclude: string[]): boolean {
  const s = source.toLowerCase();
  return exclude.some((x) => {
    const e = x.toLowerCase();
    return s === e || s.startsWith(`${e}:`);
  });
}

/** A stable ~15% of rows, by the text's hash, held out for calibration and thresholds. */
export const isHeldOut = (text: string) => fnv1a(text) % 100 < 15;
