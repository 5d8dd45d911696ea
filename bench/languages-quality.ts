// Accuracy of Earshot's Chinese, Korean and Spanish analysis on the shared labeled sets, none of which
// was read while the lexicons were built (docs/languages-cjk-es.md), beside baselines in the same run.
//   npx tsx bench/languages-quality.ts [--limit N]   (prints a Markdown table and µs per message)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import vader from "vader-sentiment";
import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { datasetsDir, haveDatasets, type Polarity } from "./datasets.js";
import { vaderYardstick } from "./yardstick.js";

if (!haveDatasets()) {
  console.error(`no data sets at ${datasetsDir} (set EARSHOT_DATASETS)`);
  process.exit(2);
}
const limitAt = process.argv.indexOf("--limit");
const limit = limitAt > 0 ? Number(process.argv[limitAt + 1]) : Infinity;
const report = vaderYardstick();
const analyzer = createAnalyzer(loadLexicons());
const require = createRequire(import.meta.url);
// natural's Spanish analyser (its AFINN list and Porter stemmer): what Earshot scored Spanish with
// before Spanish had lexicons of its own.
const SentimentAnalyzer = require("natural/lib/natural/sentiment/SentimentAnalyzer.js") as new (
  language: string,
  stemmer: unknown,
  vocabulary: string,
) => { getSentiment(words: string[]): number };
const spanishStemmer = require("natural/lib/natural/stemmers/porter_stemmer_es.js");
const naturalEs = new SentimentAnalyzer("Spanish", spanishStemmer, "afinn");

interface Row {
  text: string;
  label: Polarity;
}
const take = <T>(xs: T[]) => (Number.isFinite(limit) ? xs.slice(0, limit) : xs);
const csvRows = (path: string) =>
  parse(readFileSync(join(datasetsDir, path)), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_quotes: true,
  }) as Record<string, string>[];
const binary = (l: string): Polarity => (l.trim() === "1" ? "positive" : "negative");

const chineseHotel = (): Row[] =>
  csvRows("chinese-reviews/ChnSentiCorp_htl_all.csv")
    .filter((r) => r.review)
    .map((r) => ({ text: r.review, label: binary(r.label) }));
const chineseDelivery = (): Row[] =>
  csvRows("chinese-reviews/waimai_10k.csv")
    .filter((r) => r.review)
    .map((r) => ({ text: r.review, label: binary(r.label) }));
function nsmc(): Row[] {
  const lines = readFileSync(join(datasetsDir, "nsmc-korean-movie-reviews/ratings_test.txt"), "utf8")
    .split("\n")
    .slice(1);
  return lines
    .map((l) => l.split("\t"))
    .filter((p) => p.length === 3 && p[1].trim())
    .map(([, text, label]) => ({ text, label: binary(label) }));
}
function intertass(): Row[] {
  const names: Polarity[] = ["negative", "neutral", "positive"];
  return ["train", "val", "test"].flatMap((split) => {
    const dir = join(datasetsDir, "spanish-tweets-intertass");
    const texts = readFileSync(join(dir, `${split}_text.txt`), "utf8").split("\n");
    const labels = readFileSync(join(dir, `${split}_labels.txt`), "utf8").split("\n");
    return texts.flatMap((text, i) =>
      text.trim() && labels[i]?.trim() ? [{ text, label: names[Number(labels[i])] }] : [],
    );
  });
}

function macroF1(gold: Polarity[], pred: Polarity[], classes: Polarity[]): number {
  const f1s = classes.map((c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      if (pred[i] === c && g === c) tp++;
      else if (pred[i] === c) fp++;
      else if (g === c) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1s.reduce((a, b) => a + b, 0) / classes.length;
}
const pct = (x: number) => (x * 100).toFixed(1);

const lines: string[] = [
  "| set | language seen as | metric | Earshot | VADER | natural (es) | majority |",
  "|---|---|---|---:|---:|---:|---:|",
];
const timings: Array<[string, number]> = [];

function evaluate(name: string, rows: Row[], threeClass: boolean) {
  const gold = rows.map((r) => r.label);
  const t0 = performance.now();
  const results = rows.map((r) => analyzer.analyze({ channel: "text", text: r.text }).stored);
  timings.push([`Earshot on ${name}, per message`, ((performance.now() - t0) * 1000) / rows.length]);
  const codes = new Map<string, number>();
  for (const r of results) codes.set(r.language.code, (codes.get(r.language.code) ?? 0) + 1);
  const seenAs = [...codes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([c, n]) => `${c} ${pct(n / rows.length)}%`)
    .join(", ");
  // A text read as a language Earshot does not analyse has no score: counted as no opinion.
  const scores = results.map((r) => r.sentiment.score ?? 0);
  const vaderScores = rows.map((r) => vader.SentimentIntensityAnalyzer.polarity_scores(r.text).compound);
  const naturalScores = rows.map((r) => naturalEs.getSentiment(r.text.toLowerCase().split(/\s+/)));
  const counts = new Map<Polarity, number>();
  for (const g of gold) counts.set(g, (counts.get(g) ?? 0) + 1);
  const majority = Math.max(...counts.values()) / rows.length;
  const label = `${name} (${rows.length})`;
  if (threeClass) {
    const classes: Polarity[] = ["negative", "neutral", "positive"];
    const three = (s: number, band: number): Polarity => (s > band ? "positive" : s < -band ? "negative" : "neutral");
    const earshot = results.map(
      (r): Polarity =>
        r.sentiment.label === "positive" || r.sentiment.label === "negative" ? r.sentiment.label : "neutral",
    );
    const v = vaderScores.map((s) => three(s, 0.05));
    const n = naturalScores.map((s) => three(s, 0));
    const acc = (pred: Polarity[]) => pct(pred.filter((p, i) => p === gold[i]).length / rows.length);
    lines.push(
      `| ${label} | ${seenAs} | 3-class macro-F1 % | ${pct(macroF1(gold, earshot, classes))} | ${pct(macroF1(gold, v, classes))} | ${pct(macroF1(gold, n, classes))} | ${pct(
        macroF1(
          gold,
          gold.map(() => [...counts].sort((a, b) => b[1] - a[1])[0][0]),
          classes,
        ),
      )} |`,
    );
    lines.push(`| ${label} | | 3-class accuracy % | ${acc(earshot)} | ${acc(v)} | ${acc(n)} | ${pct(majority)} |`);
  } else {
    // Positive when the score is above zero; a score of exactly zero (no opinion found) counts as negative.
    const acc = (xs: number[]) =>
      pct(xs.filter((s, i) => (s > 0 ? "positive" : "negative") === gold[i]).length / rows.length);
    const covered = scores.filter((s) => s !== 0).length / rows.length;
    const opinionated = scores.flatMap((s, i) => (s !== 0 ? [(s > 0 ? "positive" : "negative") === gold[i]] : []));
    lines.push(
      `| ${label} | ${seenAs} | binary accuracy % | ${acc(scores)} | ${acc(vaderScores)} | — | ${pct(majority)} |`,
    );
    lines.push(
      `| ${label} | | accuracy where a score ≠ 0 % (coverage) | ${pct(opinionated.filter(Boolean).length / Math.max(1, opinionated.length))} (${pct(covered)}) | | | |`,
    );
    lines.push(
      `| ${label} | | macro-F1 % | ${pct(
        macroF1(
          gold,
          scores.map((s) => (s > 0 ? "positive" : "negative")),
          ["negative", "positive"],
        ),
      )} | ${pct(
        macroF1(
          gold,
          vaderScores.map((s) => (s > 0 ? "positive" : "negative")),
          ["negative", "positive"],
        ),
      )} | | |`,
    );
    // Complaint detection: flagged share of negative and of positive texts (reviews, not complaints, so reported, not scored).
    const flagged = (g: Polarity) => {
      const own = results.filter((_, i) => gold[i] === g);
      return pct(own.filter((r) => r.complaint.flagged).length / Math.max(1, own.length));
    };
    lines.push(
      `| ${label} | | complaint flagged % of negative / positive | ${flagged("negative")} / ${flagged("positive")} | | | |`,
    );
  }
}

evaluate("Chinese hotel reviews (ChnSentiCorp)", take(chineseHotel()), false);
evaluate("Chinese delivery reviews (waimai_10k)", take(chineseDelivery()), false);
evaluate("Korean movie reviews (NSMC test)", take(nsmc()), false);
evaluate("Spanish tweets (InterTASS, all splits)", take(intertass()), true);
console.log(lines.join("\n"));
report(timings);
