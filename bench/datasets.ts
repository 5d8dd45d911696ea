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

export function airlineTweets(): Array<{ text: string; label: Polarity; reason: string; airline: string }> {
  return csv("twitter-us-airline-sentiment/Tweets.csv").map((r) => ({ text: r.text, label: r.airline_sentiment as Polarity, reason: r.negativereason, airline: r.airline }));
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

/** Lines of a file split on "\n" only (TweetEval's and InterTASS's texts hold other line breaks). */
const lines = (path: string) => readFileSync(join(datasetsDir, path), "utf8").replace(/\n$/, "").split("\n");

/** A TweetEval-format split: one text per line, one integer label per line (InterTASS uses the same). */
function textsAndLabels(dir: string, split: string): Array<{ text: string; label: number }> {
  const texts = lines(`${dir}/${split}_text.txt`);
  const labels = lines(`${dir}/${split}_labels.txt`).map(Number);
  if (texts.length !== labels.length) throw new Error(`${dir}/${split}: ${texts.length} texts, ${labels.length} labels`);
  return texts.map((text, i) => ({ text, label: labels[i] }));
}

const POLARITY_ORDER: Polarity[] = ["negative", "neutral", "positive"];

/** TweetEval sentiment (SemEval-2017 4A), validation split only (its train text is not in ../shared). */
export function tweetevalSentiment(): Array<{ text: string; label: Polarity }> {
  return textsAndLabels("tweeteval/sentiment", "val").map((r) => ({ text: r.text, label: POLARITY_ORDER[r.label] }));
}

export const TWEETEVAL_EMOTIONS = ["anger", "joy", "optimism", "sadness"] as const;

/** TweetEval emotion (SemEval-2018 Task 1): one of anger, joy, optimism, sadness per tweet. */
export function tweetevalEmotion(split: "train" | "val"): Array<{ text: string; label: (typeof TWEETEVAL_EMOTIONS)[number] }> {
  return textsAndLabels("tweeteval/emotion", split).map((r) => ({ text: r.text, label: TWEETEVAL_EMOTIONS[r.label] }));
}

/** Spanish InterTASS 2017 tweets (UMSAB splits), 0 negative / 1 neutral / 2 positive. */
export function interTass(split: "train" | "val" | "test"): Array<{ text: string; label: Polarity }> {
  return textsAndLabels("spanish-tweets-intertass", split).map((r) => ({ text: r.text, label: POLARITY_ORDER[r.label] }));
}

/** GoEmotions Reddit comments: the names of the emotions each carries (\`neutral\` included). */
export function goEmotions(split: "train" | "dev"): Array<{ text: string; emotions: string[] }> {
  const names = readFileSync(join(datasetsDir, "goemotions/emotions.txt"), "utf8").trim().split("\n");
  return lines(`goemotions/${split}.tsv`).map((l) => {
    const [text, ids] = l.split("\t");
    return { text, emotions: ids.split(",").map((id) => names[Number(id)]) };
  });
}
