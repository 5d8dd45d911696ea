import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { airlineTweets } from "./datasets.js";
import { airlineReasonTopics } from "./label-maps.js";
const a = createAnalyzer(loadLexicons());
const conf = new Map<string, number>(); const per = new Map<string, { n: number; hit: number; got: Map<string, number> }>();
for (const t of airlineTweets()) {
  const r = a.analyze({ channel: "social", text: t.text }).stored;
  const k = t.label + "->" + r.sentiment.label; conf.set(k, (conf.get(k) ?? 0) + 1);
  const acc = airlineReasonTopics[t.reason]; if (!acc) continue;
  const topics = r.topics.map(x => x.id); const e = per.get(t.reason) ?? { n: 0, hit: 0, got: new Map() }; e.n++;
  if (topics.some(x => acc.includes(x))) e.hit++; else for (const x of topics.length ? topics : ["(none)"]) e.got.set(x, (e.got.get(x) ?? 0) + 1); per.set(t.reason, e);
}
console.log([...conf].sort().map(([k, v]) => k + ":" + v).join("  "));
for (const [l, e] of per) console.log(l.padEnd(28), (e.hit / e.n * 100).toFixed(0) + "%", e.n, [...e.got].sort((x, y) => y[1] - x[1]).slice(0, 4).map(([k, v]) => k + ":" + v).join(" "));
