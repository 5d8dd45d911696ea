// Throughput of the whole analysis pipeline on a realistic mixed corpus (the sample interactions:
// chats, emails, call notes, social posts), side by side with VADER and `sentiment` in the same run.
//   npm run bench:analysis [-- --messages 20000 --mixed]
// --mixed: a mixed-language corpus, the sample interactions with Chinese, Korean and Spanish reviews
// and tweets from ../shared/datasets (read in place) interleaved, one message in four each.
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import Sentiment from "sentiment";
import vader from "vader-sentiment";
import type * as AnalysisModule from "../src/analysis/index.js";
import type * as LexiconsModule from "../src/services/lexicons.js";
import type * as PoolModule from "../src/workers/pool.js";
import type { LineChunk, LineChunkResult } from "../src/workers/jsonl-worker.js";
import { pathToFileURL } from "node:url";
import { buildOnce, root } from "./lib.js";
import { englishCorpus, mixedCorpus } from "./mixed-corpus.js";
import { vaderYardstick } from "./yardstick.js";

const reportInVader = vaderYardstick();
// The compiled build, as `npm start` and the CLI's workers run it.
buildOnce();
const built = (module: string) => import(new URL(`build/src/${module}.js`, pathToFileURL(root)).href);
const { createAnalyzer } = (await built("analysis/index")) as typeof AnalysisModule;
const { loadLexicons } = (await built("services/lexicons")) as typeof LexiconsModule;
const { WorkerPool } = (await built("workers/pool")) as typeof PoolModule;

const { values } = parseArgs({
  options: { messages: { type: "string", default: "20000" }, mixed: { type: "boolean", default: false } },
});
const total = Number(values.messages);
const corpus = values.mixed ? mixedCorpus() : englishCorpus();
// Every message is its own copy, as messages arriving from a queue or a file are: V8 caches some
// string operations by the string's identity (split, replace), which re-analysing the same few
// hundred objects over and over would turn into a flattering figure, for VADER as for Earshot.
const messages = Array.from(
  { length: total },
  (_, i) => JSON.parse(JSON.stringify(corpus[i % corpus.length])) as (typeof corpus)[number],
);
const plain = messages.map((m) => m.text ?? m.turns!.map((t) => t.text).join("\n"));

/** Messages per second and µs per message of one run over every message. */
async function timed(run: () => unknown) {
  const t0 = performance.now();
  await run();
  const secs = (performance.now() - t0) / 1000;
  return { perSecond: Math.round(total / secs), usPerMessage: (secs * 1e6) / total };
}

const analyzer = createAnalyzer(loadLexicons());
const afinn = new Sentiment();
// Every pipeline runs over all the messages once per thread before the clock starts, as it has in
// a running service: V8 keeps re-optimising the pipeline's larger functions for the first ~10,000
// messages (inputs of several shapes), and a pool of two threads splits the warm-up between them.
for (const m of messages) analyzer.analyze(m);
for (const t of plain) vader.SentimentIntensityAnalyzer.polarity_scores(t);
for (const t of plain) afinn.analyze(t);

// The pool is started and warmed before the clock starts, as it is in a running service.
const workers = availableParallelism();
const pool = new WorkerPool<LineChunk, LineChunkResult>(
  new URL("build/src/workers/jsonl-worker.js", pathToFileURL(root)),
  workers,
);
const lines = messages.map((m) => JSON.stringify(m));
let seq = 0;
const analyseInPool = () => {
  const chunks: Promise<LineChunkResult>[] = [];
  for (let i = 0; i < lines.length; i += 200) chunks.push(pool.run({ seq: seq++, lines: lines.slice(i, i + 200) }));
  return Promise.all(chunks);
};
for (let i = 0; i < workers; i++) await analyseInPool();

const pipelines: Array<[name: string, run: () => unknown]> = [
  [
    "earshot, 1 thread (every signal)",
    () => {
      for (const m of messages) analyzer.analyze(m);
    },
  ],
  [`earshot, ${workers} worker threads (every signal, JSON lines in and out)`, analyseInPool],
  [
    "vader-sentiment, 1 thread (polarity only)",
    () => {
      for (const t of plain) vader.SentimentIntensityAnalyzer.polarity_scores(t);
    },
  ],
  [
    "sentiment, 1 thread (polarity only)",
    () => {
      for (const t of plain) afinn.analyze(t);
    },
  ],
];
// Rounds interleave the pipelines so a noisy stretch of the machine touches all of them; each
// pipeline's median round is reported.
const ROUNDS = 5;
const VADER = 2;
const rounds: Array<Awaited<ReturnType<typeof timed>>[]> = pipelines.map(() => []);
for (let r = 0; r < ROUNDS; r++) for (const [i, [, run]] of pipelines.entries()) rounds[i].push(await timed(run));
await pool.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Each round's ratio to VADER in that same round, then the median: the machine's speed drifts over
// seconds, and pipelines measured side by side share the drift.
const results = pipelines.map(([name], i) => ({
  name,
  perSecond: median(rounds[i].map((x) => x.perSecond)),
  usPerMessage: median(rounds[i].map((x) => x.usPerMessage)),
  timesVader: median(rounds[i].map((x, r) => x.perSecond / rounds[VADER][r].perSecond)),
}));

console.log(
  `${total} messages, ${workers} cores; medians of ${ROUNDS} interleaved rounds (× VADER: each round against VADER's in the same round)\n`,
);
console.log("| pipeline | messages/s | µs/message | × VADER |");
console.log("|---|---|---|---|");
for (const r of results)
  console.log(`| ${r.name} | ${r.perSecond} | ${r.usPerMessage.toFixed(1)} | ${r.timesVader.toFixed(2)} |`);
// The table's VADER runs over the sample interactions, longer than the yardstick's short messages.
reportInVader(results.map((r) => [`${r.name}, per message`, r.usPerMessage]));
