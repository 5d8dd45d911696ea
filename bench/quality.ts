// Accuracy of Earshot's analysis on the labelled public data sets, side by side with VADER and the
// `sentiment` package in the same run, each figure twice: on sets the engine was tuned or trained on,
// and on sets it never saw (leave-one-dataset-out). The protocol is described in docs/quality.md.
//   npm run bench:quality [-- --quick] [-- --chart docs/quality-reliability.png]
//   npm run bench:quality -- --sets tweeteval:sentiment,goemotions   (only the sets whose id starts so)
import { execFileSync } from "node:child_process";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { createAnalyzer } from "../src/analysis/index.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ModelFile } from "../src/analysis/learned/index.js";
import { defaultLexiconDir, loadLexicons, MODEL_FILE } from "../src/services/lexicons.js";
import { datasetsDir, haveDatasets } from "./datasets.js";
import { root } from "./lib.js";
import { vaderYardstick } from "./yardstick.js";
import { coverageTables } from "./quality/coverage.js";
import { runProtocol } from "./quality/protocol.js";
import { drawReliability, type Series } from "./quality/reliability-chart.js";
import { cacheDir, cachedModel, learnedScorer, trainingCodeHash } from "./quality/learned.js";
import { markdownReport } from "./quality/report.js";
import { earshotScorer, sentimentScorer, vaderScorer, type ScorerUnderTest } from "./quality/scorers.js";
import { AIRLINE, evaluationSets } from "./quality/sets.js";
import { poolBins } from "./metrics.js";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    limit: { type: "string" },
    chart: { type: "string" },
    "rules-only": { type: "boolean", default: false },
    sets: { type: "string" },
  },
});
if (!haveDatasets()) {
  console.error(`no data sets at ${datasetsDir} (set EARSHOT_DATASETS)`);
  process.exit(2);
}
// --quick samples every set to 400 rows: a development run of a few seconds, not figures to report.
const limit = values.limit ? Number(values.limit) : values.quick ? 400 : Infinity;
// --sets keeps the sets whose id starts with one of its comma-separated prefixes: one figure without
// training a model for every other set. The diagram and the coverage tables need every set.
const only = values.sets?.split(",").filter(Boolean);
const chartPath = values.chart ?? (limit === Infinity && !only ? `${root}docs/quality-reliability.png` : undefined);
const started = performance.now();
const reportInVader = vaderYardstick();

const rules = loadLexicons(defaultLexiconDir, { model: false });
const scorers: ScorerUnderTest[] = [
  earshotScorer("Earshot rules only", rules, { probabilities: true, tunedOn: "all" }),
  vaderScorer,
  sentimentScorer,
];
const log = (line: string) => console.error(line);
let modelNote = "rules only (--rules-only)";
if (!values["rules-only"]) {
  // The shipped model when one is committed; else the one `npm run train` would write, trained here.
  const shippedPath = join(defaultLexiconDir, MODEL_FILE);
  const shipped = existsSync(shippedPath)
    ? (JSON.parse(readFileSync(shippedPath, "utf8")) as ModelFile)
    : cachedModel([], log);
  modelNote = `${existsSync(shippedPath) ? `lexicons/${MODEL_FILE}` : "no committed model: trained here as npm run train would"}; leave-one-out models cached in ${cacheDir} under training hash ${trainingCodeHash()}`;
  // InterTASS is Spanish, which the English model does not score: its figures are the rules'.
  scorers.unshift(learnedScorer("Earshot", rules, shipped, log, { otherLanguages: ["spanish-tweets-intertass"] }));
}

const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" }).trim();
const dirty = git("status", "--porcelain", "--untracked-files=no") ? " (with uncommitted changes)" : "";
console.log(
  `\nAnalysis quality at ${git("rev-parse", "--short", "HEAD")}${dirty}, ${new Date().toISOString().slice(0, 10)}, lexicons ${rules.version}; model: ${modelNote}`,
);
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}; data: ${datasetsDir}${limit < Infinity ? `; SAMPLED to ${limit} rows per set` : ""}\n`,
);

const sets = evaluationSets(limit).filter((s) => !only || only.some((prefix) => s.id.startsWith(prefix)));
const run = await runProtocol(sets, scorers, (line) => console.error(line));
const { main, perAirline } = markdownReport(run, scorers);
console.log(main);
console.log("\nLeave one airline out, per airline (complaint detection)\n");
console.log(perAirline);
if (!only) {
  console.log("\nNeeds, topics and complaint moments (rule engine only)\n");
  console.log(coverageTables(createAnalyzer(rules), limit));
}

// The diagram: each Earshot scorer's complaint probability on the complaint sets, never seen where
// the scorer has such a column, else as shipped; the airlines left out one at a time pooled into one.
if (chartPath) {
  const series: Series[] = [];
  for (const s of scorers.filter((x) => x.probabilities)) {
    const col = (r: (typeof run.results)[number]) => {
      const cell = r.cells.get(s.name);
      return cell?.neverSeen
        ? { col: cell.neverSeen, kind: "never seen" }
        : cell?.tuned && { col: cell.tuned, kind: "tuned" };
    };
    const airlines = run.results.filter((r) => r.set.id.startsWith(`${AIRLINE}:`)).map(col);
    if (airlines.length && airlines.every((a) => a?.col.reliability && a.kind === "never seen")) {
      series.push({
        label: `${s.name}, never seen: airline tweets, each airline left out of training in turn`,
        bins: poolBins(airlines.map((a) => a!.col.reliability!)),
      });
    }
    for (const r of run.results.filter(
      (x) => x.set.reliability && x.set.inDiagram !== false && !x.set.id.startsWith(`${AIRLINE}:`),
    )) {
      const c = col(r);
      if (c?.col.reliability)
        series.push({
          label: `${s.name}, ${c.kind}: ${r.set.name}${r.set.id === AIRLINE && c.kind === "never seen" ? ", whole set left out" : ""}`,
          bins: c.col.reliability,
          dashed: c.kind === "tuned",
        });
    }
  }
  await drawReliability(series, "Reliability of complaint.risk (10 bins)", chartPath);
  console.log(`\nreliability diagram: ${chartPath}`);
}

console.log(
  `\n${run.trainedModels} models trained or read from the cache; whole run ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
reportInVader(
  [...run.timing]
    .filter(([, t]) => t.messages > 0)
    .map(([name, t]) => [`${name}, per message scored`, (t.ms * 1000) / t.messages]),
);
