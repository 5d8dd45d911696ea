import { WorkerPool } from "./build/src/workers/pool.js";
import fs from "node:fs";
const corpus = fs.readFileSync("sample-data/interactions.jsonl", "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l)).map((r, i) => ({ id: i, channel: r.channel, text: r.text ?? r.body, turns: r.turns }));
const total = 20000;
const lines = Array.from({ length: total }, (_, i) => JSON.stringify(corpus[i % corpus.length]));
const pool = new WorkerPool(new URL("./build/src/workers/analysis-worker.js", import.meta.url), 2);
let seq = 0;
const runAll = () => { const c = []; for (let i = 0; i < lines.length; i += 200) c.push(pool.run({ seq: seq++, lines: lines.slice(i, i + 200) })); return Promise.all(c); };
for (let r = 0; r < 5; r++) { const t0 = performance.now(); await runAll(); console.log(Math.round(total / (performance.now() - t0) * 1000)); }
await pool.close();
