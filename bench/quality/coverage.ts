// What the rule engine's needs, topics and complaint moments find on the labelled support data: no
// counterpart in VADER or `sentiment`, and tuned on every set here (the lexicons were written while
// reading them), so these are tuned figures.
import type { Analyzer } from "../../src/analysis/index.js";
import { scoreJourney } from "../../src/journeys/journey-risk.js";
import { loadMomentRules } from "../../src/services/moments/rules.js";
import { airlineTweets, banking77, bitext, nluPlusPlus } from "../datasets.js";
import { airlineReasonTopics, banking77Needs, bitextNeeds, nluLabels } from "../label-maps.js";
import { sample } from "./sets.js";

const pct = (x: number) => (x * 100).toFixed(1);

export function coverageTables(analyzer: Analyzer, limit = Infinity): string {
  const rows: string[] = [];
  const row = (set: string, metric: string, value: string) => rows.push(`| ${set} | ${metric} | ${value} |`);
  const needsOf = (text: string) => analyzer.analyze({ channel: "text", text }).stored.needs.map((n) => n.id);

  function needHits(data: Array<{ text: string; label: string }>, map: Record<string, string[]>) {
    const mapped = sample(
      data.filter((d) => map[d.label]),
      limit,
    );
    let any = 0,
      top = 0;
    for (const d of mapped) {
      const needs = needsOf(d.text);
      if (needs.some((n) => map[d.label].includes(n))) any++;
      if (needs.length && map[d.label].includes(needs[0])) top++;
    }
    return { n: mapped.length, any: any / mapped.length, top: top / mapped.length };
  }
  const b77 = needHits(banking77(), banking77Needs);
  row(`BANKING77 (${b77.n} mapped)`, "need found / top need %", `${pct(b77.any)} / ${pct(b77.top)}`);
  const bx = needHits(bitext(), bitextNeeds);
  row(`Bitext (${bx.n} mapped)`, "need found / top need %", `${pct(bx.any)} / ${pct(bx.top)}`);

  // Multi-need messages (NLU++ banking): micro precision / recall / F1 over the labels Earshot can express.
  {
    let tp = 0,
      fp = 0,
      fn = 0,
      n = 0;
    for (const d of sample(nluPlusPlus("banking"), limit)) {
      const gold = new Set(
        Object.entries(nluLabels)
          .filter(([, l]) => l.modules.some((m) => d.intents.includes(m)))
          .map(([k]) => k),
      );
      if (gold.size === 0) continue;
      n++;
      const needs = new Set(needsOf(d.text));
      for (const [label, { needs: accepted }] of Object.entries(nluLabels)) {
        const predicted = accepted.some((a) => needs.has(a));
        if (predicted && gold.has(label)) tp++;
        else if (predicted) fp++;
        else if (gold.has(label)) fn++;
      }
    }
    const p = tp / (tp + fp),
      r = tp / (tp + fn);
    row(
      `NLU++ banking (${n} with mapped intents)`,
      "micro P / R / F1 %",
      `${pct(p)} / ${pct(r)} / ${pct((2 * p * r) / (p + r))}`,
    );
  }

  const tweets = sample(airlineTweets(), limit);
  {
    const labeled = tweets.filter((t) => airlineReasonTopics[t.reason]);
    let hit = 0;
    for (const t of labeled) {
      const topics = analyzer.analyze({ channel: "social", text: t.text }).stored.topics.map((x) => x.id);
      if (topics.some((x) => airlineReasonTopics[t.reason].includes(x))) hit++;
    }
    row(`Airline negative reasons (${labeled.length})`, "reason's topic found %", pct(hit / labeled.length));
  }

  // Complaint-risk moments: each labelled message as a one-contact journey (a public post for tweets).
  const momentRules = loadMomentRules().rules;
  const flags = (text: string, channel: "social" | "text") => {
    const a = analyzer.analyze({ channel, text, context: { public: channel === "social" } }).stored;
    const item = {
      kind: "interaction" as const,
      id: "x",
      occurredAt: 0,
      channel,
      sentiment: a.sentiment.score ?? undefined,
      risk: a.complaint.risk,
      needs: a.needs.map((n) => n.id),
      topics: a.topics.map((t) => t.id),
      public: channel === "social",
    };
    return scoreJourney(item, [item], momentRules).flagged;
  };
  const flagged = tweets.map((t) => flags(t.text, "social"));
  const complaints = tweets.map((t) => t.label === "negative" && t.reason !== "" && t.reason !== "Can't Tell");
  const tp = flagged.filter((f, i) => f && complaints[i]).length;
  const nFlag = flagged.filter(Boolean).length,
    nComp = complaints.filter(Boolean).length;
  row(
    `Airline tweets (${tweets.length}), complaint = negative with a stated reason (${nComp})`,
    "moment flag rate / precision / recall %",
    `${pct(nFlag / tweets.length)} / ${pct(tp / nFlag)} / ${pct(tp / nComp)}`,
  );
  const positives = tweets.filter((t) => t.label === "positive");
  row(
    `Airline positive tweets (${positives.length})`,
    "moment flag rate %",
    pct(positives.filter((t) => flags(t.text, "social")).length / positives.length),
  );
  const bt = bitext();
  const complaint = sample(
    bt.filter((d) => d.label === "complaint"),
    limit,
  );
  const info = sample(
    bt.filter((d) =>
      ["delivery_options", "check_payment_methods", "check_invoices", "check_invoice", "create_account"].includes(
        d.label,
      ),
    ),
    limit,
  );
  row(
    `Bitext "complaint" intents (${complaint.length})`,
    "moment flag rate %",
    pct(complaint.filter((d) => flags(d.text, "text")).length / complaint.length),
  );
  row(
    `Bitext information requests (${info.length})`,
    "moment flag rate %",
    pct(info.filter((d) => flags(d.text, "text")).length / info.length),
  );

  return ["| data set | metric | Earshot rules (tuned) |", "|---|---|---|", ...rows].join("\n");
}
