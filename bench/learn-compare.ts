// The complaint head trained four ways on the same rows, scored on an airline left out:
// our AdaGrad SGD over hashed n-grams + lexicon signals, `natural`'s LogisticRegressionClassifier,
// ml.js `ml-logistic-regression` (dense full-batch gradient descent, so over few hashed buckets)
// and fastText compiled to WebAssembly (`fasttext.wasm.js`, supervised, word 1–2 + char 2–5 grams).
// Every learner trains on every n-th row of the other airlines (--train-rows), `natural`, which
// builds a dense documents × vocabulary matrix, on fewer (--natural-rows).
//   npx tsx bench/learn-compare.ts [-- --train-rows 3000 --test-rows 1000 --natural-rows 1000 --held-airline United]
import { parseArgs } from "node:util";
import { getFastTextClass, getFastTextModule } from "fasttext.wasm.js";
import LogisticRegression from "ml-logistic-regression";
import { Matrix } from "ml-matrix";
import natural from "natural";
import { FeatureBuffer, fillInputs } from "../src/analysis/learned/index.js";
import { analyze } from "../src/analysis/index.js";
import { defaultLexiconDir, loadLexicons } from "../src/services/lexicons.js";
import { airlineTweets, isAirlineComplaint } from "./datasets.js";
import { auc, binaryMacroF1, bestThreshold } from "./learn/metrics.js";
import { HEADS } from "./learn/corpus.js";
import { sigmoid, trainSgd } from "./learn/sgd.js";
import { BUCKETS, featurise, specFor } from "./train.js";

const { values } = parseArgs({
  options: {
    "natural-rows": { type: "string", default: "200" },
    "train-rows": { type: "string", default: "3000" },
    "test-rows": { type: "string", default: "1000" },
    "held-airline": { type: "string", default: "United" },
  },
});
const lex = loadLexicons(defaultLexiconDir, { model: false });
const tweets = airlineTweets();
// Every n-th row, so the comparison finishes in minutes on a shared machine; the sizes are printed.
const everyNth = <T>(xs: T[], n: number) => xs.filter((_, i) => i % Math.max(1, Math.ceil(xs.length / n)) === 0);
const train = everyNth(
  tweets.filter((t) => t.airline !== values["held-airline"]),
  Number(values["train-rows"]),
);
const test = everyNth(
  tweets.filter((t) => t.airline === values["held-airline"]),
  Number(values["test-rows"]),
);
const gold = test.map(isAirlineComplaint);
const rows: string[] = [];
// Each row is also printed as soon as it is measured, so a slow learner does not hide the others.
const report = (name: string, trainRows: number, secs: number, bytes: number, us: number, scores: number[]) => {
  // Threshold at the training prior's best macro-F1 is not available for every tool; report AUC and the best macro-F1 on the test set as a ceiling.
  const t = bestThreshold(scores, gold, binaryMacroF1);
  rows.push(
    `| ${name} | ${trainRows} | ${secs.toFixed(1)} | ${(bytes / 1024).toFixed(0)} | ${us.toFixed(1)} | ${auc(scores, gold).toFixed(3)} | ${binaryMacroF1(
      scores.map((s) => s >= t),
      gold,
    ).toFixed(3)} |`,
  );
  console.log(rows[rows.length - 1]);
};
const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const r = f();
  return [r, (performance.now() - t0) / 1000];
};

// 1. Our SGD: the same features as the shipped model, the complaint head only.
{
  const spec = specFor(lex);
  const label = (t: (typeof tweets)[number]) => {
    const l = new Float32Array(HEADS.length).fill(NaN);
    l[0] = isAirlineComplaint(t) ? 1 : 0;
    return l;
  };
  const [ex, featSecs] = time(() =>
    featurise(
      train.map((t) => ({ text: t.text, channel: "social" as const, source: "x", labels: label(t) })),
      lex,
      spec,
    ),
  );
  const [model, sgdSecs] = time(() =>
    trainSgd(ex, {
      buckets: BUCKETS,
      heads: HEADS.length,
      denseCount: spec.denseCount,
      epochs: 3,
      rate: 0.08,
      l2: 1e-6,
      seed: 21,
    }),
  );
  const buf = new FeatureBuffer();
  const dense = new Float64Array(spec.denseCount);
  const score = (text: string) => {
    analyze({ channel: "social", text }, lex, (s) => fillInputs(spec, s, buf, dense));
    let z = model.bias[0];
    for (let i = 0; i < buf.length; i++) z += model.weights[buf.buckets[i]] * buf.values[i];
    for (let j = 0; j < dense.length; j++) z += model.dense[0][j] * dense[j];
    return sigmoid(z);
  };
  // µs per message of the learned step alone: features and dot product, lexicon stage excluded.
  const stages: Parameters<typeof fillInputs>[1][] = [];
  for (const t of test) analyze({ channel: "social", text: t.text }, lex, (s) => stages.push(s));
  const [, inferSecs] = time(() => {
    for (const s of stages) {
      fillInputs(spec, s, buf, dense);
      let z = 0;
      for (let i = 0; i < buf.length; i++) z += model.weights[buf.buckets[i]] * buf.values[i];
      void z;
    }
  });
  const nonZero = model.weights.subarray(0, BUCKETS).filter((w) => w !== 0).length;
  report(
    "own AdaGrad SGD, 2^18 hashed word 1–2 + char 2–5 grams + lexicon signals",
    train.length,
    featSecs + sgdSecs,
    nonZero * 2,
    (inferSecs * 1e6) / test.length,
    test.map((t) => score(t.text)),
  );
}

// 2. natural's LogisticRegressionClassifier: stemmed words, dense gradient descent in sylvester.
{
  const n = Number(values["natural-rows"]);
  const clf = new natural.LogisticRegressionClassifier();
  const subset = train.filter((_, i) => i % Math.ceil(train.length / n) === 0);
  for (const t of subset) clf.addDocument(t.text, isAirlineComplaint(t) ? "yes" : "no");
  const [, secs] = time(() => clf.train());
  const prob = (text: string) =>
    clf.getClassifications(text).find((c: { label: string }) => c.label === "yes")?.value ?? 0;
  const [scores, inferSecs] = time(() => test.map((t) => prob(t.text)));
  report(
    `natural LogisticRegressionClassifier (every ${Math.ceil(train.length / n)}th row)`,
    subset.length,
    secs,
    JSON.stringify(clf).length,
    (inferSecs * 1e6) / test.length,
    scores,
  );
}

// 3. ml-logistic-regression: a dense matrix, so words hashed into 2^10 columns (+ a bias column).
{
  const D = 1024;
  const dense = (text: string) => {
    const row = new Array(D + 1).fill(0);
    row[D] = 1;
    for (const w of text.toLowerCase().match(/[\p{L}']+/gu) ?? [])
      row[
        natural.PorterStemmer.stem(w)
          .split("")
          .reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 16777619), 2166136261) >>> 22
      ] += 1;
    return row;
  };
  const X = new Matrix(train.map((t) => dense(t.text)));
  const Y = Matrix.columnVector(train.map((t) => (isAirlineComplaint(t) ? 1 : 0)));
  const clf = new LogisticRegression({ numSteps: 100, learningRate: 5e-4 });
  const [, secs] = time(() => clf.train(X, Y));
  const T = new Matrix(test.map((t) => dense(t.text)));
  const [scores, inferSecs] = time(() =>
    (clf.classifiers[0] as unknown as { testScores(m: Matrix): number[] }).testScores(T),
  );
  report(
    "ml-logistic-regression, 2^10 hashed stemmed words, 100 full-batch steps",
    train.length,
    secs,
    (D + 1) * 8,
    (inferSecs * 1e6) / test.length,
    scores,
  );
}

// 4. fastText (WebAssembly build): its own tokenising and hashing, softmax over two labels. Its
// training aborts inside the WebAssembly module on this machine (an Emscripten exception, a bare
// number), so a failure is reported as a row rather than ending the comparison.
try {
  const FastText = await getFastTextClass({ getFastTextModule });
  const ft = new FastText();
  const clean = (text: string) => text.replace(/\s+/g, " ").toLowerCase();
  const file = train.map((t) => `__label__${isAirlineComplaint(t) ? "yes" : "no"} ${clean(t.text)}`).join("\n");
  const url = `data:text/plain;base64,${Buffer.from(file).toString("base64")}`;
  const [pending, secs0] = time(() =>
    ft.trainSupervised(url, {
      epoch: 10,
      lr: 0.5,
      wordNgrams: 2,
      minn: 2,
      maxn: 5,
      dim: 16,
      bucket: 200_000,
      seed: 21,
    }),
  );
  const t0 = performance.now();
  const model = await pending;
  const secs = secs0 + (performance.now() - t0) / 1000;
  const prob = (text: string) => {
    const r = model.predict(clean(text), 2, 0);
    for (let i = 0; i < r.size(); i++) if (r.get(i)[1] === "__label__yes") return r.get(i)[0];
    return 0;
  };
  const [scores, inferSecs] = time(() => test.map((t) => prob(t.text)));
  report(
    "fastText (fasttext.wasm.js), word 1–2 + char 2–5 grams, dim 16, 10 epochs",
    train.length,
    secs,
    (await model.saveModel().arrayBuffer()).byteLength,
    (inferSecs * 1e6) / test.length,
    scores,
  );
} catch (e) {
  rows.push(`| fastText (fasttext.wasm.js) | ${train.length} | failed: ${String(e)} | | | | |`);
  console.log(rows[rows.length - 1]);
}

console.log(
  `Complaint head, trained on ${train.length} tweets of the other airlines, scored on ${test.length} of ${values["held-airline"]}'s\n`,
);
console.log("| learner | train rows | train s | model KB | µs/message (learned step) | AUC | best macro-F1 |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) console.log(r);
