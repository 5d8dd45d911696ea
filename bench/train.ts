// Trains the learned layer (lexicons/model-en.json) from the shared data sets, deterministically,
// and prints held-out figures.   npm run train [-- --exclude goemotions,... --out path --lodo]
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
import { defaultLexiconDir, loadLexicons, MODEL_FILE } from "../src/services/lexicons.js";
import { buildCorpus, excluded, HEADS, isHeldOut, type Row } from "./learn/corpus.js";
import { evaluate } from "./learn/evaluate.js";
import { bestThreshold, binaryMacroF1, f1 } from "./learn/metrics.js";
import { fitPlatt, sigmoid, trainSgd, type Example } from "./learn/sgd.js";

export { DATASET_IDS } from "./learn/corpus.js";

export const BUCKETS = 2 ** 18;
const MAX_TERMS = 256;
const SGD = { epochs: 3, rate: 0.08, l2: 1e-6, seed: 21 };

/** Weights kept per head: the largest in magnitude. The rest move a score by less than a quantisation step or two. */
const KEPT_WEIGHTS = 40_000;

/** A copy of `w` with all but its KEPT_WEIGHTS largest weights set to 0. */
function pruned(w: Float64Array): Float64Array {
  const out = Float64Array.from(w);
  const abs = Array.from(w, Math.abs).sort((a, b) => b - a);
  const floor = abs[KEPT_WEIGHTS] ?? 0;
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
export function specFor(lex: Lexicons): FeatureSpec {
  const names = denseNames(lex);
  const slots = (prefix: string) =>
    new Map(names.flatMap((n, j) => (n.startsWith(prefix) ? [[n.slice(prefix.length), j] as [string, number]] : [])));
  return {
    mask: BUCKETS - 1,
    maxTerms: MAX_TERMS,
    fixedSlots: Int32Array.from(FIXED_DENSE, (n) => names.indexOf(n)),
    needSlots: slots("need:"),
    emotionSlots: slots("emotion:"),
    denseCount: names.length,
  };
}

/** Each row's features, through the same lexicon stage and hashing as inference. */
export function featurise(rows: Row[], lex: Lexicons, spec: FeatureSpec): Example[] {
  const buf = new FeatureBuffer();
  const dense = new Float64Array(spec.denseCount);
  return rows.map((r) => {
    buf.reset();
    dense.fill(0);
    analyze({ channel: r.channel, text: r.text }, lex, (stage) => fillInputs(spec, stage, buf, dense));
    return {
      buckets: buf.buckets.slice(0, buf.length),
      values: buf.values.slice(0, buf.length),
      dense: dense.slice(),
      labels: r.labels,
    };
  });
}

/** Raw logit of head `h` for an example under trained weights. */
function logit(t: ReturnType<typeof trainSgd>, h: number, ex: Example, offset = h * BUCKETS): number {
  let z = t.bias[h];
  for (let f = 0; f < ex.buckets.length; f++) z += t.weights[offset + ex.buckets[f]] * ex.values[f];
  for (let j = 0; j < ex.dense.length; j++) z += t.dense[h][j] * ex.dense[j];
  return z;
}

export function trainModel(options: TrainOptions = {}): ModelFile {
  const log = options.log ?? (() => {});
  const lex = options.lexicons ?? loadLexicons(defaultLexiconDir, { model: false });
  const names = denseNames(lex);
  const spec = specFor(lex);
  const corpus = options.rows
    ? {
        rows: options.rows,
        trainedOn: [
          { id: "given rows", rows: options.rows.length, license: "the caller's", source: "trainModel({ rows })" },
        ],
      }
    : buildCorpus();
  const exclude = options.exclude ?? [];
  const rows = corpus.rows.filter((r) => !excluded(r.source, exclude));
  const t0 = performance.now();
  const examples = featurise(rows, lex, spec);
  const held = rows.map((r) => isHeldOut(r.text));
  const train = examples.filter((_, i) => !held[i]);
  const heldOut = examples.filter((_, i) => held[i]);
  log(
    `features of ${examples.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${train.length} train, ${heldOut.length} held out)`,
  );
  const t1 = performance.now();
  const trained = trainSgd(train, { buckets: BUCKETS, heads: HEADS.length, denseCount: names.length, ...SGD });
  log(`SGD, ${HEADS.length} heads x ${SGD.epochs} epochs, in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

  const metrics: Record<string, number> = {};
  const heads: ModelFile["heads"] = HEADS.map((id, h) => {
    const w = pruned(trained.weights.subarray(h * BUCKETS, (h + 1) * BUCKETS));
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
  return {
    format: MODEL_FORMAT,
    language: "en",
    buckets: BUCKETS,
    maxTerms: MAX_TERMS,
    dense: names,
    heads,
    trainedOn: corpus.trainedOn
      .filter((d) => !excluded(d.id, exclude))
      .map((d) => ({ ...d, rows: rows.filter((r) => r.source === d.id || r.source.startsWith(`${d.id}:`)).length })),
    operatingPoint:
      "complaint is flagged at the calibrated probability that maximises complaint macro-F1 on the held-out 15% of the training rows",
    metrics,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { exclude: { type: "string", default: "" }, out: { type: "string" } } });
  const exclude = values.exclude ? values.exclude.split(",") : [];
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
