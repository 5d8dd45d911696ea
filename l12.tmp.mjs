const base = "/work/main/build/src";
const { createAnalyzer } = await import(base + "/analysis/index.js");
const { loadLexicons } = await import(base + "/services/lexicons.js");
const { z } = await import("zod");
const { turnSchema } = await import(base + "/routes/interactions/schemas.js");
import fs from "node:fs";
const corpus = fs.readFileSync("sample-data/interactions.jsonl", "utf8").split("\n").filter(Boolean).map(l => JSON.parse(l)).map((r, i) => ({ id: i, channel: r.channel, text: r.text ?? r.body, turns: r.turns }));
const lineSchema = z.object({ id: z.union([z.string(), z.number()]), channel: z.enum(["chat", "email", "call_note", "social", "text"]).default("text"), subject: z.string().optional(), text: z.string().optional(), turns: z.array(turnSchema).min(1).optional() }).refine((v) => (v.text?.trim() ?? "") !== "" || v.turns !== undefined, { message: "needs text or turns", path: ["text"] });
const a = createAnalyzer(loadLexicons());
const mode = process.argv[2];
const R = 20;
const inputs = [];
for (let r = 0; r < R; r++) for (const m of corpus) { const p = JSON.parse(JSON.stringify(m)); if (mode === "zod") { const { id, ...input } = lineSchema.parse(p); inputs.push(input); } else { const { id, ...input } = p; inputs.push(input); } }
for (const i of inputs.slice(0, 3000)) a.analyze(i);
const t0 = performance.now();
for (const i of inputs) a.analyze(i);
console.log(mode, ((performance.now() - t0) * 1000 / inputs.length).toFixed(1));
