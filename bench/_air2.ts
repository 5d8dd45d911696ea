import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { airlineTweets } from "./datasets.js";
const a = createAnalyzer(loadLexicons());
const drv = new Map<string, number>(); const drvNeu = new Map<string, number>(); let noDrivers = 0, n = 0;
for (const t of airlineTweets()) {
  const r = a.analyze({ channel: "social", text: t.text }).stored;
  if (t.label === "negative" && r.sentiment.label === "positive") { n++; for (const s of r.sentiment.sentences) for (const d of s.drivers) if (d.weight > 0) drv.set(d.term.toLowerCase(), (drv.get(d.term.toLowerCase()) ?? 0) + 1); }
  if (t.label === "negative" && r.sentiment.label === "neutral") { if (r.sentiment.sentences.every(s => s.drivers.length === 0)) noDrivers++; }
  if (t.label === "neutral" && r.sentiment.label === "positive") { for (const s of r.sentiment.sentences) for (const d of s.drivers) if (d.weight > 0) drvNeu.set(d.term.toLowerCase(), (drvNeu.get(d.term.toLowerCase()) ?? 0) + 1); }
}
console.log("neg->pos", n, [...drv].sort((x, y) => y[1] - x[1]).slice(0, 40).map(([k, v]) => k + ":" + v).join(" "));
console.log("neg->neutral with no drivers", noDrivers);
console.log("neu->pos", [...drvNeu].sort((x, y) => y[1] - x[1]).slice(0, 30).map(([k, v]) => k + ":" + v).join(" "));
