import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { tokenize } from "../src/analysis/text.js";
import { airlineTweets } from "./datasets.js";
const a = createAnalyzer(loadLexicons());
const neg = new Map<string, number>(), other = new Map<string, number>(); let nNeg = 0, nOther = 0;
for (const t of airlineTweets()) {
  const r = a.analyze({ channel: "social", text: t.text }).stored;
  const words = new Set(tokenize(t.text).filter(x => x.kind === "word").map(x => x.lower));
  const bigr = new Set<string>(); const ws = tokenize(t.text).filter(x => x.kind === "word").map(x => x.lower); for (let i = 0; i + 1 < ws.length; i++) bigr.add(ws[i] + " " + ws[i + 1]);
  const noDrivers = r.sentiment.sentences.every(s => s.drivers.length === 0);
  if (t.label === "negative" && noDrivers) { nNeg++; for (const w of [...words, ...bigr]) neg.set(w, (neg.get(w) ?? 0) + 1); }
  else if (t.label !== "negative") { nOther++; for (const w of [...words, ...bigr]) other.set(w, (other.get(w) ?? 0) + 1); }
}
const rows = [...neg].filter(([, c]) => c >= 15).map(([w, c]) => [w, c, (c / nNeg) / (((other.get(w) ?? 0) + 1) / nOther)] as const).sort((x, y) => y[2] - x[2]).slice(0, 70);
console.log(nNeg, rows.map(([w, c, r]) => `${w}:${c}:${r.toFixed(1)}`).join("  "));
