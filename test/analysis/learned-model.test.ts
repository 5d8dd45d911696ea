import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HEADS, type Row } from "../../bench/learn/corpus.js";
import { fitPlatt, sigmoid } from "../../bench/learn/sgd.js";
import { trainModel } from "../../bench/train.js";
import { createAnalyzer } from "../../src/analysis/index.js";
import { compileModel, ModelError, type ModelFile } from "../../src/analysis/learned/index.js";
import { withModel, withoutModel } from "../../src/analysis/lexicons.js";
import { defaultLexiconDir, loadLexicons, MODEL_FILE } from "../../src/services/lexicons.js";
import { lexicons } from "./engine.js";

// The learned layer: the committed model validates and explains itself, training is deterministic,
// calibration keeps the order of scores.
const shipped = JSON.parse(readFileSync(join(defaultLexiconDir, MODEL_FILE), "utf8")) as ModelFile;
const rulesOnly = withoutModel(lexicons);

/** A tiny corpus written for this test: complaints, praise and plain questions, each labelled for complaint and sentiment. */
function syntheticRows(): Row[] {
  const complaints = [
    "my parcel never came and nobody answers",
    "the app crashes every time I log in",
    "you charged me twice this month",
    "still no refund after three weeks",
    "the driver threw the box at my door",
    "my card was declined again at the till",
    "I have been on hold for an hour",
    "the tap you installed is leaking already",
  ];
  const praise = [
    "thank you so much, that fixed it",
    "the new update is lovely",
    "great service from the team today",
    "really happy with the quick delivery",
    "the agent was kind and patient",
    "brilliant, it works now",
  ];
  const questions = [
    "what time do you open on sunday",
    "can I change my delivery address",
    "how do I add a second card",
    "is there a student discount",
    "where can I find my invoice",
    "do you ship to ireland",
  ];
  const row = (text: string, complaint: number, label: number): Row => {
    const labels = new Float32Array(HEADS.length).fill(NaN);
    labels[0] = complaint;
    for (let k = 0; k < 3; k++) labels[1 + k] = k === label ? 1 : 0;
    return { text, channel: "text", source: "synthetic", labels };
  };
  const rows: Row[] = [];
  // Each phrase a few times with a different ending, so the held-out split has some of each.
  for (const suffix of ["", " please", " today", " again?"]) {
    for (const t of complaints) rows.push(row(t + suffix, 1, 0));
    for (const t of praise) rows.push(row(t + suffix, 0, 2));
    for (const t of questions) rows.push(row(t + suffix, 0, 1));
  }
  return rows;
}

describe("the model file", () => {
  it("is validated on load, and a bad one names what is wrong", () => {
    expect(() => compileModel({ ...shipped, format: "other/1" })).toThrow(/format/);
    expect(() => compileModel({ ...shipped, heads: shipped.heads.filter((h) => h.id !== "complaint") })).toThrow(
      /missing head complaint/,
    );
    expect(() => compileModel({ ...shipped, buckets: 1000 })).toThrow(/buckets: must be a power of two/);
    const [first, ...rest] = shipped.heads;
    expect(() => compileModel({ ...shipped, heads: [{ ...first, dense: first.dense.slice(1) }, ...rest] })).toThrow(
      /heads\[0\]\.dense/,
    );
    expect(() => compileModel({ ...shipped, heads: [{ ...first, calibration: { a: -1, b: 0 } }, ...rest] })).toThrow(
      /calibration\.a/,
    );
    expect(() =>
      compileModel({ ...shipped, heads: [{ ...first, values: first.values.slice(0, 8) }, ...rest] }),
    ).toThrow(ModelError);
    expect(() => compileModel({ ...shipped, dense: [...shipped.dense.slice(1), "made:up"] })).toThrow(
      /dense feature the engine computes/,
    );
  });

  it("names the data sets it was trained on and their licenses, and stays small", () => {
    expect(shipped.trainedOn.length).toBeGreaterThanOrEqual(3);
    for (const d of shipped.trainedOn) expect(d.license.length, d.id).toBeGreaterThan(3);
    expect(readFileSync(join(defaultLexiconDir, MODEL_FILE)).length).toBeLessThan(2 * 1024 * 1024);
  });

  it("is part of the version, so every stored analysis names the model that made it", () => {
    const loaded = loadLexicons();
    expect(loaded.version).toBe(`${loaded.lexiconVersion}.m${loaded.model!.hash}`);
    const other = withModel(rulesOnly, {
      ...shipped,
      heads: shipped.heads.map((h) => (h.id === "complaint" ? { ...h, bias: h.bias + 1 } : h)),
    });
    expect(other.version).not.toBe(loaded.version);
    expect(createAnalyzer(other).analyze({ channel: "text", text: "hello" }).stored.version).toBe(other.version);
  });
});

describe("training", () => {
  const rows = syntheticRows();
  const file = trainModel({ rows, lexicons: rulesOnly });

  it("is deterministic: the same rows give the same file", () => {
    expect(JSON.stringify(trainModel({ rows, lexicons: rulesOnly }))).toBe(JSON.stringify(file));
  });

  it("learns the corpus: its complaints score above its questions and praise", () => {
    const analyzer = createAnalyzer(withModel(rulesOnly, file));
    const risk = (text: string) => analyzer.analyze({ channel: "text", text }).stored.complaint.risk;
    expect(risk("the app crashes every time I log in")).toBeGreaterThan(risk("what time do you open on sunday"));
    expect(risk("you charged me twice this month")).toBeGreaterThan(risk("thank you so much, that fixed it"));
  });
});

describe("explanations", () => {
  const analyzer = createAnalyzer(lexicons);

  it("give the words and lexicon findings behind a complaint, with their weights", () => {
    const c = analyzer.analyze({
      channel: "text",
      text: "I was charged twice and nobody answers my emails. I want to speak to a manager.",
    }).stored.complaint;
    expect(c.flagged).toBe(true);
    const wording = c.reasons.find((r) => r.code === "wording");
    expect(wording?.text).toMatch(/^wording "/);
    expect(c.reasons.every((r) => r.weight > 0 && r.weight <= c.risk)).toBe(true);
    expect(c.reasons.map((r) => r.code)).toContain("escalate");
  });

  it("keep the sentence drivers the console highlights", () => {
    const s = analyzer.analyze({ channel: "text", text: "The app is great but support is terrible" }).stored.sentiment;
    expect(s.sentences[0].drivers.map((d) => d.term)).toEqual(expect.arrayContaining(["great", "terrible"]));
  });

  it("give evidence for every emotion", () => {
    const e = analyzer.analyze({ channel: "text", text: "Thank you so much, you are all wonderful!" }).stored.emotions;
    expect(e.map((x) => x.id)).toContain("gratitude");
    for (const x of e) expect(x.evidence.length, x.id).toBeGreaterThan(0);
  });
});

describe("calibration", () => {
  it("keeps every head's order: a higher logit never gets a lower probability", () => {
    const model = lexicons.model!;
    for (let h = 0; h < model.heads.length; h++) {
      let last = 0;
      for (let z = -8; z <= 8; z += 0.25) {
        const p = model.probability(h, z);
        expect(p, model.heads[h].id).toBeGreaterThanOrEqual(last);
        last = p;
      }
    }
  });

  it("fits Platt scaling that maps over-confident logits back to their frequencies", () => {
    // Logits twice what they should be: true probability sigmoid(z / 2).
    const z: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const logit = ((i % 400) - 200) / 25;
      z.push(logit);
      y.push((i * 7919) % 1000 < sigmoid(logit / 2) * 1000 ? 1 : 0);
    }
    const { a, b } = fitPlatt(z, y);
    expect(a).toBeGreaterThan(0.35);
    expect(a).toBeLessThan(0.65);
    expect(Math.abs(b)).toBeLessThan(0.2);
  });
});
