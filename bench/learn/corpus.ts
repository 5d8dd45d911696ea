// The training corpus: every labeled row of the shared data sets that speaks to one of the model's
// heads, with the label per head (NaN where the row says nothing about that head).
import { fnv1a } from "../../src/analysis/learned/hashing.js";
import {
  airlineTweets,
  banking77,
  bitext,
  datasetLicense,
  nluPlusPlus,
  goEmotions,
  goEmotionsSentimentGroups,
  isAirlineComplaint,
  tweetEval,
  uciSentences,
  type Polarity,
} from "../datasets.js";
import { banking77Needs, goEmotionsToOurs, tweetEvalEmotionToOurs } from "../label-maps.js";

export const EMOTIONS = Object.keys(goEmotionsToOurs);
export const HEADS = [
  "complaint",
  "sentiment:negative",
  "sentiment:neutral",
  "sentiment:positive",
  ...EMOTIONS.map((e) => `emotion:${e}`),
];
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
export const DATASET_IDS = [
  "twitter-us-airline-sentiment",
  "goemotions",
  "uci-sentiment-labelled-sentences",
  "tweeteval",
  "banking77",
  "nlu-plus-plus",
  "bitext-customer-support-intents",
] as const;

const empty = () => new Float32Array(H).fill(NaN);
const polarity = (labels: Float32Array, p: Polarity) => {
  labels[1] = p === "negative" ? 1 : 0;
  labels[2] = p === "neutral" ? 1 : 0;
  labels[3] = p === "positive" ? 1 : 0;
};

/** Banking queries reporting something wrong (a complaint) or only asking (not one); the rest say neither. */
const PROBLEM_NEEDS = new Set(["billing_dispute", "technical_problem", "fraud_report", "delivery_issue"]);
const NLU_PROBLEMS = new Set(["wrong_notworking_notshowing", "lost_stolen"]);
const NLU_QUESTIONS = new Set(["request_info", "how", "why", "when", "how_much", "how_long"]);
/** Requests that may come from a grievance: a question holding one of these is neither kind. */
const NLU_GRIEVANCES = new Set(["handoff", "refund", "cancel_close_leave_freeze", "deny"]);
const BITEXT_PROBLEMS = new Set(["complaint", "payment_issue", "registration_problems"]);
const BITEXT_QUESTIONS = new Set([
  "check_invoice",
  "get_invoice",
  "delivery_options",
  "delivery_period",
  "check_payment_methods",
  "check_refund_policy",
  "check_cancellation_fee",
  "create_account",
  "place_order",
  "set_up_shipping_address",
  "newsletter_subscription",
]);

/** At most `n` rows per label, the same ones every run (the first by text hash). */
function capped<T extends { text: string }>(rows: T[], labelOf: (r: T) => string, n: number): T[] {
  const byLabel = new Map<string, T[]>();
  for (const r of rows) byLabel.set(labelOf(r), [...(byLabel.get(labelOf(r)) ?? []), r]);
  return [...byLabel.values()].flatMap((xs) =>
    xs
      .map((r) => [fnv1a(r.text), r] as const)
      .sort((a, b) => a[0] - b[0] || (a[1].text < b[1].text ? -1 : 1))
      .slice(0, n)
      .map(([, r]) => r),
  );
}

export function buildCorpus(): {
  rows: Row[];
  trainedOn: Array<{ id: string; rows: number; license: string; source: string }>;
} {
  const rows: Row[] = [];
  for (const t of airlineTweets()) {
    const labels = empty();
    labels[0] = isAirlineComplaint(t) ? 1 : 0;
    polarity(labels, t.label);
    rows.push({
      text: t.text,
      channel: "social",
      source: `twitter-us-airline-sentiment:${t.airline.toLowerCase()}`,
      labels,
    });
  }
  const groups = goEmotionsSentimentGroups();
  for (const r of goEmotions("train")) {
    const labels = empty();
    EMOTIONS.forEach((e, k) => {
      labels[4 + k] = r.emotions.some((x) => goEmotionsToOurs[e].includes(x)) ? 1 : 0;
    });
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
  // Customer queries: problem reports are complaints and negative, plain questions neither. Capped
  // per intent, so a few hundred near-paraphrases of one intent do not outweigh the rest.
  const query = (text: string, source: string, problem: boolean) => {
    const labels = empty();
    labels[0] = problem ? 1 : 0;
    polarity(labels, problem ? "negative" : "neutral");
    rows.push({ text, channel: "text", source, labels });
  };
  for (const r of capped(banking77(), (r) => r.label, 80)) {
    const needs = banking77Needs[r.label];
    if (!needs) continue;
    const problem = needs.some((n) => PROBLEM_NEEDS.has(n));
    if (problem || needs.every((n) => n === "information_request")) query(r.text, "banking77", problem);
  }
  for (const domain of ["banking", "hotels"] as const) {
    for (const r of nluPlusPlus(domain)) {
      const problem = r.intents.some((i) => NLU_PROBLEMS.has(i));
      const question = r.intents.some((i) => NLU_QUESTIONS.has(i)) && !r.intents.some((i) => NLU_GRIEVANCES.has(i));
      if (problem || question) query(r.text, "nlu-plus-plus", problem);
    }
  }
  for (const r of capped(bitext(), (r) => r.label, 100)) {
    if (BITEXT_PROBLEMS.has(r.label) || BITEXT_QUESTIONS.has(r.label))
      query(r.text, "bitext-customer-support-intents", BITEXT_PROBLEMS.has(r.label));
  }
  const count = (prefix: string) => rows.filter((r) => r.source === prefix || r.source.startsWith(`${prefix}:`)).length;
  const trainedOn = DATASET_IDS.map((id) => ({
    id,
    rows: count(id),
    license: datasetLicense(id),
    source: `../shared/datasets/${id} (see its PROVENANCE.md)`,
  }));
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
