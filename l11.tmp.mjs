const base = "/work/main/build/src";
const { createAnalyzer } = await import(base + "/analysis/index.js");
const { loadLexicons } = await import(base + "/services/lexicons.js");
import fs from "node:fs";
const corpus = fs.readFileSync("sample-data/interactions.jsonl", "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l)).map((r, i) => ({ id: i, channel: r.channel, text: r.text ?? r.body, turns: r.turns }));
const lines = corpus.map(m => JSON.stringify(m));
const a = createAnalyzer(loadLexicons());
const outs = corpus.map(m => a.analyze(m).stored);
const compact = (r) => ({ language: r.language.code, sentiment: { score: r.sentiment.score, label: r.sentiment.label }, emotions: r.emotions.map(({ id, score, evidence }) => ({ id, score, evidence })), topics: r.topics.map(({ id, score, sentiment }) => ({ id, score, sentiment })), needs: r.needs.map(({ id, confidence, evidence }) => ({ id, confidence, evidence })), complaint: { risk: r.complaint.risk, flagged: r.complaint.flagged, reasons: r.complaint.reasons.map((x) => x.text) }, turns: r.turns?.map(({ index, speaker, score, label }) => ({ index, speaker, score, label })) });
const cs = outs.map(compact);
const ascii = JSON.parse(JSON.stringify(cs).replace(/\u2212/g, "-"));
const best = {};
function time(name, fn) { for (let r = 0; r < 15; r++) { const t0 = performance.now(); fn(); const us = (performance.now() - t0) * 1000 / lines.length; best[name] = Math.min(best[name] ?? Infinity, us); } }
time("parse line", () => { for (const l of lines) JSON.parse(l); });
time("stringify compact", () => { for (const c of cs) JSON.stringify(c); });
time("stringify compact ascii", () => { for (const c of ascii) JSON.stringify(c); });
time("stringify stored", () => { for (const o of outs) JSON.stringify(o); });
console.log(best, JSON.stringify(cs).length / cs.length);
