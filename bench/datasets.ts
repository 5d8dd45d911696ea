// Loaders for the labeled public data sets in ../shared/datasets (read in place, never copied).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { root } from "./lib.js";

export const datasetsDir = process.env.EARSHOT_DATASETS ?? join(root, "../shared/datasets");
export const haveDatasets = () => existsSync(datasetsDir);

const csv = (path: string): Record<string, string>[] =>
  parse(readFileSync(join(datasetsDir, path)), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_quotes: true,
  });

export type Polarity = "negative" | "neutral" | "positive";

export function airlineTweets(): Array<{ text: string; label: Polarity; reason: string; airline: string }> {
  return csv("twitter-us-airline-sentiment/Tweets.csv").map((r) => ({
    text: r.text,
    label: r.airline_sentiment as Polarity,
    reason: r.negativereason,
    airline: r.airline,
  }));
}

/** A complaint, as the airline tweets label one: negative, with a stated reason. */
export const isAirlineComplaint = (t: { label: Polarity; reason: string }) =>
  t.label === "negative" && t.reason !== "" && t.reason !== "Can't Tell";

const lines = (path: string) => readFileSync(join(datasetsDir, path), "utf8").split("\n");

/** GoEmotions (Reddit comments): each text with its emotion names (27 + neutral, multi-label). */
export function goEmotions(split: "train" | "dev"): Array<{ text: string; emotions: string[] }> {
  const names = lines("goemotions/emotions.txt")
    .map((l) => l.trim())
    .filter(Boolean);
  return lines(`goemotions/${split}.tsv`)
    .filter((l) => l.trim())
    .map((l) => {
      const [text, labels] = l.split("\t");
      return { text, emotions: labels.split(",").map((i) => names[Number(i)]) };
    });
}

/** GoEmotions' own grouping of its emotions into positive / negative / ambiguous. */
export function goEmotionsSentimentGroups(): Record<"positive" | "negative" | "ambiguous", string[]> {
  return JSON.parse(readFileSync(join(datasetsDir, "goemotions/sentiment_mapping.json"), "utf8"));
}

/** A TweetEval task's split: texts with their label names (from the task's mapping.txt). */
export function tweetEval(
  task: "emotion" | "irony" | "offensive" | "sentiment",
  split: "train" | "val",
): Array<{ text: string; label: string }> {
  const names = new Map(
    lines(`tweeteval/${task}/mapping.txt`)
      .filter((l) => l.trim())
      .map((l) => l.trim().split(/\s+/) as [string, string]),
  );
  const texts = lines(`tweeteval/${task}/${split}_text.txt`);
  const labels = lines(`tweeteval/${task}/${split}_labels.txt`)
    .map((l) => l.trim())
    .filter(Boolean);
  return labels.map((l, i) => ({ text: texts[i].trim(), label: names.get(l) ?? l }));
}

/** The license line of a data set's PROVENANCE.md, for the model file's list of what it was trained on. */
export function datasetLicense(folder: string): string {
  const text = readFileSync(join(datasetsDir, folder, "PROVENANCE.md"), "utf8");
  const line = text.split("\n").find((l) => /\*\*License:\*\*/i.test(l));
  return line ? line.replace(/^[\s*-]*\*\*License:\*\*\s*/i, "").trim() : "see PROVENANCE.md";
}

export function uciSentences(source: "amazon_cells" | "imdb" | "yelp"): Array<{ text: string; positive: boolean }> {
  return readFileSync(join(datasetsDir, `uci-sentiment-labelled-sentences/${source}_labelled.txt`), "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const tab = l.lastIndexOf("\t");
      return { text: l.slice(0, tab).trim(), positive: l.slice(tab + 1).trim() === "1" };
    });
}

export function banking77(): Array<{ text: string; label: string }> {
  return csv("banking77/train.csv").map((r) => ({ text: r.text, label: r.category }));
}

export function bitext(): Array<{ text: string; label: string }> {
  return [
    ...csv("bitext-customer-support-intents/v2022_8k/Bitext_Sample_Customer_Service_Training_Dataset.csv"),
    ...csv("bitext-customer-support-intents/v2020_20k/TrainingdatasetBitextsample.csv"),
  ].map((r) => ({ text: r.utterance, label: r.intent }));
}

export function nluPlusPlus(domain: "banking" | "hotels"): Array<{ text: string; intents: string[] }> {
  const dir = join(datasetsDir, "nlu-plus-plus/data", domain);
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as Array<{ text: string; intents?: string[] }>)
    .map((r) => ({ text: r.text, intents: r.intents ?? [] }));
}

const POLARITY_ORDER: Polarity[] = ["negative", "neutral", "positive"];

/** TweetEval sentiment (SemEval-2017 4A), validation split only (its train text is not in ../shared). */
export function tweetevalSentiment(): Array<{ text: string; label: Polarity }> {
  return tweetEval("sentiment", "val").map((r) => ({ text: r.text, label: r.label as Polarity }));
}

/** Spanish InterTASS 2017 tweets (UMSAB splits, TweetEval's format), 0 negative / 1 neutral / 2 positive. */
export function interTass(split: "train" | "val" | "test"): Array<{ text: string; label: Polarity }> {
  // Split on "\n" only, and the files have no final newline.
  const read = (f: string) =>
    readFileSync(join(datasetsDir, "spanish-tweets-intertass", f), "utf8")
      .replace(/\n$/, "")
      .split("\n");
  const texts = read(`${split}_text.txt`),
    labels = read(`${split}_labels.txt`);
  if (texts.length !== labels.length)
    throw new Error(`InterTASS ${split}: ${texts.length} texts, ${labels.length} labels`);
  return texts.map((text, i) => ({ text, label: POLARITY_ORDER[Number(labels[i])] }));
}

/** Chinese reviews, 1 positive / 0 negative: ChnSentiCorp hotel reviews or waimai_10k food-delivery reviews. */
export function chineseReviews(domain: "hotel" | "delivery"): Array<{ text: string; label: Polarity }> {
  const file = domain === "hotel" ? "ChnSentiCorp_htl_all.csv" : "waimai_10k.csv";
  return csv(`chinese-reviews/${file}`)
    .filter((r) => r.review?.trim())
    .map((r) => ({ text: r.review, label: r.label.trim() === "1" ? "positive" : "negative" }));
}

/** NSMC's test file (the only one in ../shared), 1 positive / 0 negative; no quote handling, as its README says. */
export function nsmc(): Array<{ text: string; label: Polarity }> {
  return readFileSync(join(datasetsDir, "nsmc-korean-movie-reviews/ratings_test.txt"), "utf8")
    .split("\n")
    .slice(1)
    .map((l) => l.split("\t"))
    .filter((p) => p.length === 3 && p[1].trim())
    .map(([, text, label]) => ({ text, label: label.trim() === "1" ? "positive" : "negative" }));
}
