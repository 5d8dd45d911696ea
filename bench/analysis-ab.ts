// Is a change to the analysis faster or slower? The pipeline of another commit against the working
// tree's, both loaded in one process and timed in interleaved rounds, in several processes.
//   npm run bench:analysis-ab -- --base HEAD~1 [--processes 5 --rounds 40 --mixed]
// --mixed: bench:analysis's mixed-language corpus (Chinese, Korean and Spanish between the English).
//
// On this shared machine one pipeline's speed varies by up to ±35% from one process to the next (JIT
// decisions, neighbours), far more than most changes move it; within one process, rounds of the two
// builds taken in turn share the drift. Each process reports the median of its per-round ratios
// (after a warm-up), and the bench the median over processes: that resolved changes of ~3%.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type * as AnalysisModule from "../src/analysis/index.js";
import type * as LexiconsModule from "../src/services/lexicons.js";
import { buildOnce, root, sampleInteractions } from "./lib.js";
import { mixedCorpus } from "./mixed-corpus.js";
import { vaderYardstick } from "./yardstick.js";

const { values } = parseArgs({
  options: {
    base: { type: "string" },
    processes: { type: "string", default: "5" },
    rounds: { type: "string", default: "40" },
    child: { type: "string" },
    mixed: { type: "boolean", default: false },
  },
});
const WARM_UP_ROUNDS = 12;

if (values.child) {
  // One process: both builds, rounds in turn (alternating which goes first), ratios after warm-up.
  const [baseDir, headDir] = values.child.split("|");
  const corpus = values.mixed
    ? mixedCorpus().map((m) => JSON.stringify(m))
    : sampleInteractions().map((r) =>
        JSON.stringify({ channel: r.channel, subject: r.subject, text: r.text ?? r.body, turns: r.turns }),
      );
  const analyzers = [];
  for (const dir of [baseDir, headDir]) {
    const { createAnalyzer } = (await import(
      pathToFileURL(join(dir, "src/analysis/index.js")).href
    )) as typeof AnalysisModule;
    const { loadLexicons } = (await import(
      pathToFileURL(join(dir, "src/services/lexicons.js")).href
    )) as typeof LexiconsModule;
    analyzers.push(createAnalyzer(loadLexicons(join(dir, "lexicons"))));
  }
  const ratios: number[] = [];
  const times: number[][] = [[], []];
  for (let round = 0; round < Number(values.rounds); round++) {
    const us = [0, 0];
    for (const which of round % 2 ? [1, 0] : [0, 1]) {
      // Fresh copies each round, as messages arriving from a queue are.
      const messages = corpus.map((l) => JSON.parse(l));
      const t0 = performance.now();
      for (const m of messages) analyzers[which].analyze(m);
      us[which] = ((performance.now() - t0) * 1000) / messages.length;
    }
    if (round >= WARM_UP_ROUNDS) {
      ratios.push(us[1] / us[0]);
      times[0].push(us[0]);
      times[1].push(us[1]);
    }
  }
  console.log(JSON.stringify({ ratio: median(ratios), baseUs: median(times[0]), headUs: median(times[1]) }));
  process.exit(0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

if (!values.base) throw new Error("--base <commit> is required (e.g. --base HEAD~1)");
const reportInVader = vaderYardstick();
buildOnce();
const sha = execFileSync("git", ["rev-parse", values.base], { cwd: root, encoding: "utf8" }).trim();
// The base commit's build goes under node_modules/.cache so that its imports resolve to the same packages.
const baseDir = join(root, "node_modules/.cache/earshot-ab", sha.slice(0, 12));
if (!existsSync(join(baseDir, "src/analysis/index.js"))) {
  const tree = mkdtempSync(join(tmpdir(), "earshot-ab-"));
  try {
    execFileSync("git", ["worktree", "add", "--detach", tree, sha], { cwd: root, stdio: "ignore" });
    const sources = execFileSync("find", ["src", "-name", "*.ts", "-o", "-name", "*.tsx"], {
      cwd: tree,
      encoding: "utf8",
    })
      .trim()
      .split("\n");
    execFileSync(
      join(root, "node_modules/.bin/esbuild"),
      [
        ...sources,
        `--outdir=${join(baseDir, "src")}`,
        "--format=esm",
        "--platform=node",
        "--target=node20",
        "--log-level=warning",
      ],
      { cwd: tree },
    );
    cpSync(join(tree, "lexicons"), join(baseDir, "lexicons"), { recursive: true });
  } finally {
    execFileSync("git", ["worktree", "remove", "--force", tree], { cwd: root, stdio: "ignore" });
    rmSync(tree, { recursive: true, force: true });
  }
}
const headDir = join(root, "build");
// The working tree's build reads the repository's lexicons through build/lexicons (a link).
if (!existsSync(join(headDir, "lexicons"))) throw new Error("build/lexicons is missing: run npm run build");

const ratios: number[] = [];
const times: Array<{ baseUs: number; headUs: number }> = [];
for (let p = 0; p < Number(values.processes); p++) {
  const run = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      new URL(import.meta.url).pathname,
      "--child",
      `${baseDir}|${headDir}`,
      "--rounds",
      values.rounds!,
      ...(values.mixed ? ["--mixed"] : []),
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`A/B process failed: ${run.stderr}`);
  const { ratio, baseUs, headUs } = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
    ratio: number;
    baseUs: number;
    headUs: number;
  };
  ratios.push(ratio);
  times.push({ baseUs, headUs });
  console.log(`process ${p + 1}: working tree / ${values.base} = ${ratio.toFixed(3)} (time per message)`);
}
const m = median(ratios);
console.log(
  `\nmedian over ${ratios.length} processes: the working tree takes ${(m * 100).toFixed(1)}% of ${values.base}'s time per message (${m < 1 ? `${((1 - m) * 100).toFixed(1)}% faster` : `${((m - 1) * 100).toFixed(1)}% slower`})`,
);
reportInVader([
  [`${values.base}, per message (median over processes)`, median(times.map((t) => t.baseUs))],
  ["working tree, per message (median over processes)", median(times.map((t) => t.headUs))],
]);
