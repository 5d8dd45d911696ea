// Earshot with its learned layer as a scorer under test: the shipped model for the tuned column, and
// for the never-seen column the model trained by bench/train.ts without the set, read from a cache
// keyed by everything training depends on (a training takes about half a minute of CPU).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { ModelFile } from "../../src/analysis/learned/index.js";
import { withModel, type Lexicons } from "../../src/analysis/lexicons.js";
import { MODEL_FILE } from "../../src/services/lexicons.js";
import { datasetsDir } from "../datasets.js";
import { root } from "../lib.js";
import { trainModel } from "../train.js";
import { earshotScorer, type ScorerUnderTest } from "./scorers.js";
import { AIRLINE } from "./sets.js";

export const cacheDir = join(root, ".cache/quality-models");

/** Files whose content decides what training produces: the training code, the analysis it featurises with, the rules. */
function trainingInputs(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
  const lexicons = readdirSync(join(root, "lexicons"))
    .filter((f) => f.endsWith(".json") && f !== MODEL_FILE)
    .map((f) => join(root, "lexicons", f));
  return [
    join(root, "bench/train.ts"),
    join(root, "bench/datasets.ts"),
    join(root, "bench/label-maps.ts"),
    ...walk(join(root, "bench/learn")),
    ...walk(join(root, "src/analysis")),
    ...lexicons,
  ].sort();
}

let codeHash: string | undefined;
export function trainingCodeHash(): string {
  if (!codeHash) {
    const h = createHash("sha256").update(datasetsDir);
    for (const f of trainingInputs())
      h.update(relative(root, f)).update("\u0000").update(readFileSync(f)).update("\u0000");
    codeHash = h.digest("hex").slice(0, 16);
  }
  return codeHash;
}

/** The model trained without `exclude`, from the cache when the training inputs are unchanged. */
export function cachedModel(exclude: string[], log: (line: string) => void): ModelFile {
  const key = `${trainingCodeHash()}-${exclude.length ? exclude.join("+").replace(/[^a-z0-9+:-]/gi, "_") : "all"}`;
  const path = join(cacheDir, `${key}.json`);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as ModelFile;
  const t0 = performance.now();
  const file = trainModel({ exclude });
  log(
    `  trained the model without ${exclude.join(", ") || "nothing"} in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
  );
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(path, JSON.stringify(file));
  return file;
}

/** What to leave out of training so that a set is never seen: an airline alone, else the whole data set. */
export const exclusionFor = (setId: string) => (setId.startsWith(`${AIRLINE}:`) ? setId : setId.split(":")[0]);

/**
 * Earshot with a model. Its rules were tuned on every set; its model only on `file.trainedOn`. The
 * never-seen figure of a set is the model trained without it (the shipped model when it never
 * trained on it), except where the model does not score the text's language: there every figure is
 * the rules', which were tuned on it.
 */
export function learnedScorer(
  name: string,
  rules: Lexicons,
  file: ModelFile,
  log: (line: string) => void,
  options: { otherLanguages: string[] },
): ScorerUnderTest {
  const trained = file.trainedOn.filter((d) => d.rows > 0).map((d) => d.id);
  const shipped = earshotScorer(name, withModel(rules, file), { probabilities: true, tunedOn: "all" });
  const models = new Map<string, ScorerUnderTest>();
  shipped.trainWithout = async (setId) => {
    if (options.otherLanguages.includes(setId.split(":")[0])) return null;
    const exclusion = exclusionFor(setId);
    if (!trained.some((t) => exclusion === t || exclusion.startsWith(`${t}:`))) return shipped;
    let m = models.get(exclusion);
    if (!m) {
      m = earshotScorer(name, withModel(rules, cachedModel([exclusion], log)), { probabilities: true, tunedOn: [] });
      models.set(exclusion, m);
    }
    return m;
  };
  return shipped;
}
