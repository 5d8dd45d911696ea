const base = "/work/main/build/src";
const { createAnalyzer } = await import(base + "/analysis/index.js");
const { loadLexicons } = await import(base + "/services/lexicons.js");
const { analyseLine } = await import(base + "/workers/jsonl-analysis.js");
import fs from "node:fs";
const corpus = fs.readFileSync("sample-data/interactions.jsonl", "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l)).map((r, i) => ({ id: i, channel: r.channel, text: r.text ?? r.body, turns: r.turns }));
const lines = corpus.map(m => JSON.stringify(m));
const a = createAnalyzer(loadLexicons());
const mode = process.argv[2];
let best = Infinity;
const compact = (r) => ({ language: r.language.code, sentiment: { score: r.sentiment.score, label: r.sentiment.label }, emotions: r.emotions.map(({ id, score, evidence }) => ({ id, score, evidence })), topics: r.topics.map(({ id, score, sentiment }) => ({ id, score, sentiment })), needs: r.needs.map(({ id, confidence, evidence }) => ({ id, confidence, evidence })), complaint: { risk: r.complaint.risk, flagged: r.complaint.flagged, reasons: r.complaint.reasons.map((x) => x.text) }, ...(r.turns ? { turns: r.turns.map(({ index, speaker, score, label }) => ({ index, speaker, score, label })) } : {}) });
for (let i = 0; i < 25; i++) {
  const t0 = performance.now();
  if (mode === "line") for (const l of lines) analyseLine(l, a);
  else if (mode === "nozod") for (const l of lines) { const { id, ...input } = JSON.parse(l); JSON.stringify({ id, ...compact(a.analyze(input).stored) }); }
  else if (mode === "parse") for (const l of lines) { const { id, ...input } = JSON.parse(l); a.analyze(input); }
  else for (const m of corpus) a.analyze(m);
  best = Math.min(best, (performance.now() - t0) * 1000 / lines.length);
}
console.log(mode, best.toFixed(1));
