// Trains the learned layer (lexicons/model-en.json) from the shared data sets, deterministically,
// and prints held-out figures.   npm run train [-- --exclude goemotions,... --out path --lodo]
// A language pack's model (lexicons/<code>/model.json):   npm run train -- --language zh|ko|es|all
//
// `trainModel({ exclude })` is what bench/quality trains leave-one-dataset-out with; the ids it
// accepts are listed at DATASET_IDS in bench/learn/corpus.ts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { analyze } from "../src/analysis/index.js";
import {
  FIXED_DENSE,
  FeatureBuffer,
  fillInputs,
  MODEL_FORMAT,
  type FeatureSpec,
  type ModelFile,
} from "../src/analysis/learned/index.js";
import { encodeSparse } from "../src/analysis/learned/codec.js";
import type { Lexicons } from "../src/analysis/lexicons.js";
import { defaultLexiconDir, languageModelFile, loadLexicons, MODEL_FILE } from "../src/services/lexicons.js";
import { buildCorpus, excluded, HEADS, isHeldOut, type Row } from "./learn/corpus.js";
import { evaluate } from "./learn/evaluate.js";
import { evaluateLanguage } from "./learn/evaluate-language.js";
import { buildLanguageCorpus, PACK_LANGUAGES, type PackLanguage, RECIPES } from "./learn/language-corpus.js";
import { bestThreshold, binaryMacroF1, f1 } from "./learn/metrics.js";
import { fitPlatt, sigmoid, trainSgd, type Example } from "./learn/sgd.js";
import { balanced, lengthBand } from "./learn/balance.js";
import { crossValidated } from "./learn/class-offsets.js";
import { fnv1a } from "../src/analysis/learned/hashing.js";

export { DATASET_IDS } from "./learn/corpus.js";

export const BUCKETS = 2 ** 18;
const MAX_TERMS = 256;
const SGD = { epochs: 3, rate: 0.08, l2: 1e-6, seed: 21 };
/** Folds of the class offsets' cross-validation, by text hash (a seed of their own, not the held-out split's). */
const FOLD_SEED = 77;
/** 5-fold splits the class offsets' out-of-fold log-odds are pooled over (seeds FOLD_SEED, FOLD_SEED + 1, …). */
const FOLD_REPEATS = 5;

/** Weights kept per head: the largest in magnitude. The rest move a score by less than a quantisation step or two. */
const KEPT_WEIGHTS = 40_000;

/** A copy of `w` with all but its `kept` largest weights set to 0. */
function pruned(w: Float64Array, kept = KEPT_WEIGHTS): Float64Array {
  const out = Float64Array.from(w);
  const abs = Array.from(w, Math.abs).sort((a, b) => b - a);
  const floor = abs[kept] ?? 0;
  for (let b = 0; b < out.length; b++) if (Math.abs(out[b]) <= floor) out[b] = 0;
  return out;
}

export interface TrainOptions {
  /** Data set ids to leave out (see DATASET_IDS). */
  exclude?: string[];
  /** Rules-only lexicons to read signals from (default: lexicons/, without its model). */
  lexicons?: Lexicons;
  /** Rows to train on instead of the shared data sets (tests train on a small corpus of their own). */
  rows?: Row[];
  log?: (line: string) => void;
  /**
   * A language pack's model instead of English's: trained on that language's shared sets
   * (bench/learn/language-corpus.ts), its features from the language's own lexicons; rows the
   * detector reads as another language are left out, as inference would not use the model on them.
   */
  language?: PackLanguage;
}

/** The dense features this engine computes, in the order the model file lists them. */
function denseNames(lex: Lexicons): string[] {
  return [
    ...FIXED_DENSE,
    ...[...lex.needs.labels.keys()].map((id) => `need:${id}`),
    ...[...lex.emotions.labels.keys()].map((id) => `emotion:${id}`),
  ];
}

/** The feature layout a model trained with `lex` gets. */
export function specFor(lex: Lexicons, buckets = BUCKETS, features?: FeatureSpec["features"]): FeatureSpec {
  const names = denseNames(lex);
  const slots = (prefix: string) =>
    new Map(names.flatMap((n, j) => (n.startsWith(prefix) ? [[n.slice(prefix.length), j] as [string, number]] : [])));
  return {
    features,
    mask: buckets - 1,
    maxTerms: MAX_TERMS,
    fixedSlots: Int32Array.from(FIXED_DENSE, (n) => names.indexOf(n)),
    needSlots: slots("need:"),
    emotionSlots: slots("emotion:"),
    denseCount: names.length,
  };
}

/** Each row's features, through the same lexicon stage and hashing as inference. */
export function featurise(rows: Row[], lex: Lexicons, spec: FeatureSpec): Example[] {
  return featuriseIn(rows, lex, spec) as Example[];
}

/** featurise, where a row detected as another language than `language` gets no features (undefined). */
function featuriseIn(rows: Row[], lex: Lexicons, spec: FeatureSpec, language?: string): Array<Example | undefined> {
  const buf = new FeatureBuffer();
  const dense = new Float64Array(spec.denseCount);
  return rows.map((r) => {
    buf.reset();
    dense.fill(0);
    const out = analyze({ channel: r.channel, text: r.text }, lex, (stage) => fillInputs(spec, stage, buf, dense));
    if (language && out.stored.language.code !== language) return undefined;
    return {
      buckets: buf.buckets.slice(0, buf.length),
      values: buf.values.slice(0, buf.length),
      dense: dense.slice(),
      labels: r.labels,
    };
  });
}

/** Raw logit of head `h` for an example under trained weights. */
function logit(t: ReturnType<typeof trainSgd>, h: number, ex: Example, offset: number): number {
  let z = t.bias[h];
  for (let f = 0; f < ex.buckets.length; f++) z += t.weights[offset + ex.buckets[f]] * ex.values[f];
  for (let j = 0; j < ex.dense.length; j++) z += t.dense[h][j] * ex.dense[j];
  return z;
}

export function trainModel(options: TrainOptions = {}): ModelFile {
  const log = options.log ?? (() => {});
  const lex = options.lexicons ?? loadLexicons(defaultLexiconDir, { model: false });
  const language = options.language;
  const recipe = language ? RECIPES[language] : undefined;
  const heads = recipe?.heads ?? HEADS;
  const buckets = recipe?.buckets ?? BUCKETS;
  // A language's dense features are its own lexicons' needs and emotions.
  const featureLex = language ? lex.packs.get(language)!.lex : lex;
  const names = denseNames(featureLex);
  const spec = specFor(featureLex, buckets, recipe?.features);
  const corpus = options.rows
    ? {
        rows: options.rows,
        trainedOn: [
          { id: "given rows", rows: options.rows.length, license: "the caller's", source: "trainModel({ rows })" },
        ],
      }
    : language
      ? buildLanguageCorpus(language)
      : buildCorpus();
  const exclude = options.exclude ?? [];
  const t0 = performance.now();
  const candidates = corpus.rows.filter((r) => !excluded(r.source, exclude));
  const featurised = featuriseIn(candidates, lex, spec, language);
  const rows = candidates.filter((_, i) => featurised[i]);
  const examples = featurised.filter((ex): ex is Example => ex !== undefined);
  if (rows.length < candidates.length)
    log(`${candidates.length - rows.length} rows left out: detected as another language than ${language}`);
  const held = rows.map((r) => isHeldOut(r.text));
  const bands = recipe?.balanced === "length" ? rows.map((r) => lengthBand(r.text)) : undefined;
  const balance = (keep: (i: number) => boolean) => {
    const xs = examples.filter((_, i) => keep(i));
    if (!recipe?.balanced) return xs;
    return balanced(
      xs,
      bands?.filter((_, i) => keep(i)),
    );
  };
  // Cross-validated calibration trains on every row; otherwise 15% are held out to calibrate on.
  const crossFit = recipe?.classOffsets === true;
  const train = balance((i) => crossFit || !held[i]);
  const heldOut = crossFit ? [] : balance((i) => held[i]);
  log(
    `features of ${examples.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${train.length} train, ${heldOut.length} held out)`,
  );
  const t1 = performance.now();
  const sgd = {
    ...SGD,
    epochs: recipe?.epochs ?? SGD.epochs,
  };
  const trained = trainSgd(train, { buckets, heads: heads.length, denseCount: names.length, ...sgd });
  log(`SGD, ${heads.length} heads x ${sgd.epochs} epochs, in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const metrics: Record<string, number> = {};
  const fileHeads: ModelFile["heads"] = heads.map((id, h) => {
    const w = pruned(trained.weights.subarray(h * buckets, (h + 1) * buckets), recipe?.keptWeights);
    const abs = Array.from(w, Math.abs)
      .filter((x) => x > 0)
      .sort((a, b) => a - b);
    // Quantisation step: the 99.9th percentile weight maps to 127; larger ones are clipped.
    const scale = (abs[Math.floor(abs.length * 0.999)] ?? 1) / 127 || 1e-6;
    for (let b = 0; b < w.length; b++) w[b] = Math.max(-127, Math.min(127, Math.round(w[b] / scale))) * scale;
    const q = { weights: w, dense: trained.dense, bias: trained.bias };
    const labelled = heldOut.filter((ex) => !Number.isNaN(ex.labels[h]));
    const z = labelled.map((ex) => logit(q, h, ex, 0));
    const y = labelled.map((ex) => ex.labels[h]);
    const calibration =
      labelled.length >= 20 && y.some((v) => v === 1) && y.some((v) => v === 0) ? fitPlatt(z, y) : { a: 1, b: 0 };
    const p = z.map((v) => sigmoid(calibration.a * v + calibration.b));
    const gold = y.map((v) => v === 1);
    // Complaint: the threshold maximising macro-F1 on held-out rows; an emotion: its own F1.
    const threshold =
      id.startsWith("sentiment:") || labelled.length < 20
        ? 0.5
        : bestThreshold(p, gold, id === "complaint" ? binaryMacroF1 : f1);
    const sparse = encodeSparse(w, scale);
    metrics[`${id}.weights`] = sparse.count;
    if (labelled.length)
      metrics[`${id}.heldOutF1`] =
        Math.round(
          1000 *
            f1(
              p.map((x) => x >= threshold),
              gold,
            ),
        ) / 1000;
    return {
      id,
      bias: trained.bias[h],
      scale,
      indices: sparse.indices,
      values: sparse.values,
      dense: Array.from(trained.dense[h], (x) => Math.round(x * 1e4) / 1e4),
      calibration,
      threshold,
    };
  });
  if (crossFit) {
    const repeats = Array.from({ length: FOLD_REPEATS }, (_, r) =>
      rows.map((row) => fnv1a(row.text, FOLD_SEED + r) % 5),
    );
    const cv = crossValidated(train, repeats, heads.length, (xs) => {
      const t = trainSgd(xs, { buckets, heads: heads.length, denseCount: names.length, ...sgd });
      return (ex) => heads.map((_, h) => logit(t, h, ex, h * buckets));
    });
    log(
      `calibration and class offsets by ${FOLD_REPEATS} × 5-fold cross-validation on the training rows: offsets ${cv.offsets.join(", ")}`,
    );
    fileHeads.forEach((head, h) => {
      head.calibration = { a: cv.calibration[h].a, b: cv.calibration[h].b + cv.offsets[h] };
      metrics[`${head.id}.classOffset`] = cv.offsets[h];
    });
  }
  return {
    format: MODEL_FORMAT,
    language: language ?? "en",
    ...(recipe?.features ? { features: recipe.features } : {}),
    buckets,
    maxTerms: MAX_TERMS,
    dense: names,
    heads: fileHeads,
    trainedOn: corpus.trainedOn
      .filter((d) => !excluded(d.id, exclude))
      .map((d) => ({ ...d, rows: rows.filter((r) => r.source === d.id || r.source.startsWith(`${d.id}:`)).length })),
    operatingPoint: language
      ? "sentiment only: the language's complaint risk comes from its rules, fed this sentiment"
      : "complaint is flagged at the calibrated probability that maximises complaint macro-F1 on the held-out 15% of the training rows",
    metrics,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { exclude: { type: "string", default: "" }, out: { type: "string" }, language: { type: "string" } },
  });
  const exclude = values.exclude ? values.exclude.split(",") : [];
  if (values.language) {
    const languages = values.language === "all" ? [...PACK_LANGUAGES] : (values.language.split(",") as PackLanguage[]);
    for (const language of languages) {
      if (!PACK_LANGUAGES.includes(language))
        throw new Error(`--language: must be one of ${PACK_LANGUAGES.join(", ")} or all`);
      const t0 = performance.now();
      const file = trainModel({ exclude, language, log: (l) => console.log(`${language}: ${l}`) });
      const out = values.out ?? join(defaultLexiconDir, languageModelFile(language));
      const json = JSON.stringify(file);
      writeFileSync(out, json + "\n");
      console.log(
        `wrote ${out}: ${(json.length / 1024).toFixed(0)} KB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      evaluateLanguage(language, file);
    }
    process.exit(0);
  }
  const t0 = performance.now();
  const file = trainModel({ exclude, log: (l) => console.log(l) });
  const out = values.out ?? join(defaultLexiconDir, MODEL_FILE);
  const json = JSON.stringify(file);
  writeFileSync(out, json + "\n");
  console.log(
    `wrote ${out}: ${(json.length / 1024).toFixed(0)} KB in ${((performance.now() - t0) / 1000).toFixed(1)} s total`,
  );
  evaluate(file, exclude);
}
