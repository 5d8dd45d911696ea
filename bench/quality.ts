// Accuracy of Earshot's analysis on the labeled public data sets, side by side with VADER and the
// `sentiment` package in the same run. npm run bench:quality  (prints a Markdown table)
import Sentiment from "sentiment";
import vader from "vader-sentiment";
import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { scoreJourney } from "../src/journeys/journey-risk.js";
import { loadMomentRules } from "../src/services/moments/rules.js";
import { airlineTweets, banking77, bitext, datasetsDir, haveDatasets, nluPlusPlus, uciSentences, type Polarity } from "./datasets.js";
import { airlineReasonTopics, banking77Needs, bitextNeeds, nluLabels } from "./label-maps.js";

if (!haveDatasets()) {
  console.error(`no data sets at ${datasetsDir} (set EARSHOT_DATASETS)`);
  process.exit(2);
}
const analyzer = createAnalyzer(loadLexicons());
const afinn = new Sentiment();

type Tool = (text: string) => number;
const tools: Record<string, { score: Tool; neutralBand: number }> = {
  earshot: { score: (t) => analyzer.analyze({ channel: "social", text: t }).stored.sentiment.score ?? 0, neutralBand: 0.1 },
  vader: { score: (t) => vader.SentimentIntensityAnalyzer.polarity_scores(t).compound, neutralBand: 0.05 },
  sentiment: { score: (t) => afinn.analyze(t).comparative, neutralBand: 0 },
};
const polarity = (score: number, band: number): Polarity => (score > band ? "positive" : score < -band ? "negative" : "neutral");

function macroF1(gold: Polarity[], pred: Polarity[]): number {
  const classes: Polarity[] = ["negative", "neutral", "positive"];
  const f1s = classes.map((c) => {
    let tp = 0, fp = 0, fn = 0;
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
const rows: string[] = [];
const row = (set: string, metric: string, values: Record<string, string>) =>
  rows.push(`| ${set} | ${metric} | ${values.earshot ?? "—"} | ${values.vader ?? "—"} | ${values.sentiment ?? "—"} |`);

// 1. Three-class sentiment on airline tweets.
const tweets = airlineTweets();
const threeClass: Record<string, string> = {};
const threeAcc: Record<string, string> = {};
for (const [name, tool] of Object.entries(tools)) {
  const pred = tweets.map((t) => polarity(tool.score(t.text), tool.neutralBand));
  threeClass[name] = pct(macroF1(tweets.map((t) => t.label), pred));
  threeAcc[name] = pct(pred.filter((p, i) => p === tweets[i].label).length / tweets.length);
}
row(`Airline tweets (${tweets.length})`, "3-class macro-F1 %", threeClass);
row(`Airline tweets (${tweets.length})`, "3-class accuracy %", threeAcc);

// 2. Binary sentiment on the UCI review sentences (positive when the score is above zero).
for (const source of ["amazon_cells", "imdb", "yelp"] as const) {
  const data = uciSentences(source);
  const acc: Record<string, string> = {};
  for (const [name, tool] of Object.entries(tools)) {
    acc[name] = pct(data.filter((d) => tool.score(d.text) > 0 === d.positive).length / data.length);
  }
  row(`UCI ${source.replace("_cells", "")} (${data.length})`, "binary accuracy %", acc);
}

// 3. Needs: does Earshot find an acceptable need for each labeled query?
function needHits(data: Array<{ text: string; label: string }>, map: Record<string, string[]>) {
  const mapped = data.filter((d) => map[d.label]);
  let any = 0, top = 0;
  for (const d of mapped) {
    const needs = analyzer.analyze({ channel: "text", text: d.text }).stored.needs.map((n) => n.id);
    if (needs.some((n) => map[d.label].includes(n))) any++;
    if (needs.length && map[d.label].includes(needs[0])) top++;
  }
  return { n: mapped.length, any: any / mapped.length, top: top / mapped.length };
}
const b77 = needHits(banking77(), banking77Needs);
row(`BANKING77 (${b77.n} of 10,003 mapped)`, "need found / top need %", { earshot: `${pct(b77.any)} / ${pct(b77.top)}` });
const bx = needHits(bitext(), bitextNeeds);
row(`Bitext (${bx.n} mapped)`, "need found / top need %", { earshot: `${pct(bx.any)} / ${pct(bx.top)}` });

// 4. Multi-need messages (NLU++ banking): micro precision / recall / F1 over the labels Earshot can express.
{
  let tp = 0, fp = 0, fn = 0, n = 0;
  for (const d of nluPlusPlus("banking")) {
    const gold = new Set(Object.entries(nluLabels).filter(([, l]) => l.modules.some((m) => d.intents.includes(m))).map(([k]) => k));
    if (gold.size === 0) continue;
    n++;
    const needs = new Set(analyzer.analyze({ channel: "text", text: d.text }).stored.needs.map((x) => x.id));
    for (const [label, { needs: accepted }] of Object.entries(nluLabels)) {
      const predicted = accepted.some((a) => needs.has(a));
      if (predicted && gold.has(label)) tp++;
      else if (predicted) fp++;
      else if (gold.has(label)) fn++;
    }
  }
  const p = tp / (tp + fp), r = tp / (tp + fn);
  row(`NLU++ banking (${n} with mapped intents)`, "micro P / R / F1 %", { earshot: `${pct(p)} / ${pct(r)} / ${pct((2 * p * r) / (p + r))}` });
}

// 5. Topics: the airline tweets' negative reasons against Earshot's topics.
{
  const labeled = tweets.filter((t) => airlineReasonTopics[t.reason]);
  let hit = 0;
  for (const t of labeled) {
    const topics = analyzer.analyze({ channel: "social", text: t.text }).stored.topics.map((x) => x.id);
    if (topics.some((x) => airlineReasonTopics[t.reason].includes(x))) hit++;
  }
  row(`Airline negative reasons (${labeled.length})`, "reason's topic found %", { earshot: pct(hit / labeled.length) });
}

// 6. Complaint-risk moments: each labeled message as a one-contact journey (a public post for tweets).
const momentRules = loadMomentRules().rules;
const flags = (text: string, channel: "social" | "text") => {
  const a = analyzer.analyze({ channel, text, context: { public: channel === "social" } }).stored;
  const item = { kind: "interaction" as const, id: "x", occurredAt: 0, channel, sentiment: a.sentiment.score ?? undefined, risk: a.complaint.risk, needs: a.needs.map((n) => n.id), topics: a.topics.map((t) => t.id), public: channel === "social" };
  return scoreJourney(item, [item], momentRules).flagged;
};
const momentRows: string[] = [];
{
  const flagged = tweets.map((t) => flags(t.text, "social"));
  const complaints = tweets.map((t) => t.label === "negative" && t.reason !== "" && t.reason !== "Can't Tell");
  const tp = flagged.filter((f, i) => f && complaints[i]).length;
  const nFlag = flagged.filter(Boolean).length;
  const nComp = complaints.filter(Boolean).length;
  momentRows.push(`| Airline tweets (${tweets.length}), complaint = negative with a stated reason (${nComp}) | ${pct(nFlag / tweets.length)} | ${pct(tp / nFlag)} | ${pct(tp / nComp)} |`);
  const positives = tweets.filter((t) => t.label === "positive");
  momentRows.push(`| Airline positive tweets (${positives.length}) | ${pct(positives.filter((t) => flags(t.text, "social")).length / positives.length)} | — | — |`);
}
{
  const data = bitext();
  const complaint = data.filter((d) => d.label === "complaint");
  const info = data.filter((d) => ["delivery_options", "check_payment_methods", "check_invoices", "check_invoice", "create_account"].includes(d.label));
  momentRows.push(`| Bitext "complaint" intents (${complaint.length}) | ${pct(complaint.filter((d) => flags(d.text, "text")).length / complaint.length)} | — | — |`);
  momentRows.push(`| Bitext information requests (${info.length}) | ${pct(info.filter((d) => flags(d.text, "text")).length / info.length)} | — | — |`);
}

console.log(`Analysis quality, lexicons ${analyzer.version} (data: ${datasetsDir})\n`);
console.log("| data set | metric | Earshot | VADER | sentiment |");
console.log("|---|---|---|---|---|");
for (const r of rows) console.log(r);
console.log("\nComplaint-risk moments (one-contact journeys)\n");
console.log("| data | flag rate % | precision % | recall % |");
console.log("|---|---|---|---|");
for (const r of momentRows) console.log(r);
