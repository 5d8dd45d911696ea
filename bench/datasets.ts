// Loaders for the labeled public data sets in ../shared/datasets (read in place, never copied).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { root } from "./lib.js";

export const datasetsDir = process.env.EARSHOT_DATASETS ?? join(root, "../shared/datasets");
export const haveDatasets = () => existsSync(datasetsDir);

const csv = (path: string): Record<string, string>[] =>
  parse(readFileSync(join(datasetsDir, path)), { columns: true, bom: true, skip_empty_lines: true, relax_quotes: true });

export type Polarity = "negative" | "neutral" | "positive";

export function airlineTweets(): Array<{ text: string; label: Polarity; reason: string }> {
  return csv("twitter-us-airline-sentiment/Tweets.csv").map((r) => ({ text: r.text, label: r.airline_sentiment as Polarity, reason: r.negativereason }));
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
