import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { banking77, bitext } from "./datasets.js";
import { banking77Needs, bitextNeeds } from "./label-maps.js";
const a = createAnalyzer(loadLexicons());
for (const [name, data, map] of [["b77", banking77(), banking77Needs], ["bitext", bitext(), bitextNeeds]] as const) {
  const per = new Map<string, { n: number; hit: number; got: Map<string, number> }>();
  for (const d of data) {
    const acc = (map as Record<string, string[]>)[d.label]; if (!acc) continue;
    const needs = a.analyze({ channel: "text", text: d.text }).stored.needs.map(n => n.id);
    const e = per.get(d.label) ?? { n: 0, hit: 0, got: new Map() }; e.n++; if (needs.some(n => acc.includes(n))) e.hit++; else for (const n of needs.length ? needs : ["(none)"]) e.got.set(n, (e.got.get(n) ?? 0) + 1);
    per.set(d.label, e);
  }
  console.log("==", name);
  for (const [l, e] of [...per].sort((x, y) => x[1].hit / x[1].n - y[1].hit / y[1].n).slice(0, 22)) console.log(l.padEnd(36), (e.hit / e.n * 100).toFixed(0).padStart(3) + "%", e.n, [...e.got].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([k, v]) => k + ":" + v).join(" "));
}
