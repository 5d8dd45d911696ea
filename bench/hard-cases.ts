// The hard-case suites scored per suite and per category, Earshot beside VADER and `sentiment`.
// npm run bench:hard-cases [-- --failures]   (prints Markdown; --failures lists the tuned suite's misses)
//
// VADER and `sentiment` give one score and no reasons, so they are judged on the labels only:
// VADER's compound ≥ 0.05 is positive, ≤ −0.05 negative (and a complaint), else neutral (its
// authors' band); `sentiment`'s comparative score > 0 is positive, < 0 negative (and a complaint).
import Sentiment from "sentiment";
import vader from "vader-sentiment";
import { createAnalyzer } from "../src/analysis/index.js";
import type { SentimentLabel } from "../src/analysis/types.js";
import { loadLexicons } from "../src/services/lexicons.js";
import {
  earshotJudge,
  formatFailures,
  loadSuite,
  scoreSuite,
  type Judge,
  type SuiteScore,
  type Tally,
} from "./hard-case-score.js";

const analyzer = createAnalyzer(loadLexicons());
const afinn = new Sentiment();
/** With band 0 the edges are strict (only a zero score is neutral); otherwise inclusive, as VADER's authors use it. */
const banded = (score: number, band: number): SentimentLabel =>
  score >= band && score > 0 ? "positive" : score <= -band && score < 0 ? "negative" : "neutral";
const byScore =
  (score: (text: string) => number, band: number): Judge =>
  (c) => {
    const sentiment = banded(score(c.text), band);
    return { complaint: sentiment === "negative", sentiment, reasons: [] };
  };
const judges: Record<string, Judge> = {
  earshot: earshotJudge(analyzer),
  vader: byScore((t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, 0.05),
  sentiment: byScore((t) => afinn.analyze(t).comparative, 0),
};

const pct = (part: number, whole: number) => (whole ? ((100 * part) / whole).toFixed(1) : "—");
const showFailures = process.argv.includes("--failures");

console.log(`Hard-case suites, lexicons ${analyzer.version}\n`);
console.log(
  "Right = complaint flag, sentiment label and (where the case names one) reason all match; labels = the first two.\n",
);
for (const suite of ["tuned", "untuned"] as const) {
  const cases = loadSuite(suite);
  const scores = Object.fromEntries(
    Object.entries(judges).map(([name, judge]) => [name, scoreSuite(cases, judge)]),
  ) as Record<string, SuiteScore>;
  const row = (label: string, pick: (s: SuiteScore) => Tally) => {
    const e = pick(scores.earshot);
    const labels = (name: string) => pct(pick(scores[name]).labelsRight, pick(scores[name]).n);
    return `| ${label} | ${e.n} | **${pct(e.right, e.n)}** | ${labels("earshot")} | ${pct(e.reasonRight, e.withReason)} | ${labels("vader")} | ${labels("sentiment")} |`;
  };
  console.log(`### ${suite} (${cases.length} cases)\n`);
  console.log(
    "| category | n | Earshot right % | Earshot labels % | Earshot reason % | VADER labels % | sentiment labels % |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const category of scores.earshot.byCategory.keys())
    console.log(row(category, (s) => s.byCategory.get(category)!));
  console.log(row("**all**", (s) => s));
  console.log("\n| tool | complaint right % | sentiment right % |\n|---|---|---|");
  for (const [name, s] of Object.entries(scores))
    console.log(`| ${name} | ${pct(s.complaintRight, s.n)} | ${pct(s.sentimentRight, s.n)} |`);
  console.log("");
  // The untuned suite's misses are never listed: reading them is how a suite becomes tuned.
  if (showFailures && suite === "tuned")
    console.log(`Earshot's misses on the tuned suite:\n\n\`\`\`\n${formatFailures(scores.earshot)}\n\`\`\`\n`);
}
