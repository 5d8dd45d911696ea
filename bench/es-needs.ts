// Spanish needs on messages translated for this bench (bench/data/es-needs.json): per need, how many
// of the messages stating it Earshot finds, and needs found that a message does not state.
//   npx tsx bench/es-needs.ts
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { root } from "./lib.js";

const { messages } = JSON.parse(readFileSync(join(root, "bench/data/es-needs.json"), "utf8")) as {
  messages: Array<{ en: string; es: string; needs: string[] }>;
};
const analyzer = createAnalyzer(loadLexicons());
const byNeed = new Map<string, { stated: number; found: number }>();
let extra = 0;
let exact = 0;
for (const m of messages) {
  const r = analyzer.analyze({ channel: "chat", text: m.es }).stored;
  const found = new Set(r.needs.map((n) => n.id));
  for (const n of m.needs) {
    const at = byNeed.get(n) ?? { stated: 0, found: 0 };
    at.stated++;
    if (found.has(n)) at.found++;
    byNeed.set(n, at);
  }
  const wrong = [...found].filter((n) => !m.needs.includes(n));
  extra += wrong.length;
  if (wrong.length === 0 && m.needs.every((n) => found.has(n))) exact++;
  if (r.language.code !== "es") console.log(`read as ${r.language.code}: ${m.es}`);
  else if (wrong.length || !m.needs.every((n) => found.has(n)))
    console.log(`${m.es} → ${[...found].join(", ") || "none"} (stated: ${m.needs.join(", ") || "none"})`);
}
let stated = 0;
let hit = 0;
console.log("\n| need | stated | found |\n|---|---:|---:|");
for (const [n, v] of byNeed) {
  stated += v.stated;
  hit += v.found;
  console.log(`| ${n} | ${v.stated} | ${v.found} |`);
}
console.log(
  `\n${messages.length} messages: recall ${((100 * hit) / stated).toFixed(1)}% of ${stated} stated needs, ${extra} needs found that were not stated, ${exact} messages exactly right`,
);
