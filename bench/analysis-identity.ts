// The full output of analyze() over bench:analysis's corpora (English, and the mixed-language one),
// as one JSON line per message, so a change meant to make the pipeline faster can be shown to leave
// every result as it was, bit for bit:
//   npm run bench:analysis-identity -- --out before.jsonl   (on the old code)
//   npm run bench:analysis-identity -- --out after.jsonl && cmp before.jsonl after.jsonl
// Each message is analysed twice in a row and in a different order on a second pass, so a cache that
// leaked one message's answer into another's would show as a difference too.
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";
import { englishCorpus, foreignTexts } from "./mixed-corpus.js";

const { values } = parseArgs({ options: { out: { type: "string" } } });
// Each foreign text once (the mixed corpus repeats them).
const corpus = [
  ...englishCorpus(),
  ...foreignTexts()
    .flat()
    .map((text) => ({ channel: "chat" as const, text })),
];

const analyzer = createAnalyzer(loadLexicons());
const lines: string[] = new Array(corpus.length);
const run = (i: number) => JSON.stringify(analyzer.analyze(structuredClone(corpus[i])));
for (let i = 0; i < corpus.length; i++) lines[i] = run(i);
let mismatches = 0;
// Backwards, so every message follows a different one than the first time.
for (let i = corpus.length - 1; i >= 0; i--) if (run(i) !== lines[i]) mismatches++;
const text = `${lines.join("\n")}\n`;
if (values.out) writeFileSync(values.out, text);
console.log(
  `${corpus.length} messages; sha256 ${createHash("sha256").update(text).digest("hex").slice(0, 16)}; ${mismatches} differ between passes`,
);
if (mismatches > 0) process.exitCode = 1;
