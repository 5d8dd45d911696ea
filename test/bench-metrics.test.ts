// The metric functions of bench:quality against values worked out by hand (each case's arithmetic in
// its comment).
import { describe, expect, it } from "vitest";
import {
  auc,
  brier,
  ece,
  f1,
  macroF1,
  macroRecall,
  multiLabelF1,
  poolBins,
  reliabilityBins,
} from "../bench/metrics.js";

describe("classification metrics", () => {
  const gold = ["a", "a", "b", "b", "c"];
  const pred = ["a", "b", "b", "b", "a"];

  it("macro-F1 averages each class's F1", () => {
    // a: tp 1, fp 1, fn 1 → 2/4; b: tp 2, fp 1, fn 0 → 4/5; c: tp 0 → 0. Mean (0.5 + 0.8 + 0) / 3.
    expect(macroF1(gold, pred, ["a", "b", "c"])).toBeCloseTo(1.3 / 3, 10);
    expect(f1(0, 0, 0)).toBe(0);
  });

  it("macro-averaged recall averages each class's recall", () => {
    // a: 1 of 2; b: 2 of 2; c: 0 of 1 → (0.5 + 1 + 0) / 3.
    expect(macroRecall(gold, pred, ["a", "b", "c"])).toBeCloseTo(0.5, 10);
    // Always answering the majority class scores 1/k, whatever the class balance.
    expect(macroRecall(["a", "a", "a", "b", "c"], ["a", "a", "a", "a", "a"], ["a", "b", "c"])).toBeCloseTo(1 / 3, 10);
  });

  it("refuses a class with no gold examples and mismatched lengths", () => {
    expect(() => macroRecall(["a"], ["a"], ["a", "b"])).toThrow(/class b/);
    expect(() => macroF1(["a"], ["a", "b"], ["a"])).toThrow(/lengths differ/);
  });

  it("multi-label F1 scores each label over all examples", () => {
    const g = [new Set(["x"]), new Set(["x", "y"]), new Set<string>()];
    const p = [new Set(["x"]), new Set(["y"]), new Set(["y"])];
    // x: tp 1, fn 1 → 2/3; y: tp 1, fp 1 → 2/3; z: never there, never found → 0.
    const r = multiLabelF1(g, p, ["x", "y", "z"]);
    expect(r.perLabel.get("x")).toBeCloseTo(2 / 3, 10);
    expect(r.perLabel.get("y")).toBeCloseTo(2 / 3, 10);
    expect(r.mean).toBeCloseTo(4 / 9, 10);
  });
});

describe("AUC", () => {
  it("is the share of positive–negative pairs ranked the right way", () => {
    // Pairs (pos, neg): (0.35, 0.1) ✓, (0.35, 0.4) ✗, (0.8, 0.1) ✓, (0.8, 0.4) ✓ → 3/4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])).toBeCloseTo(0.75, 10);
  });

  it("counts ties as one half", () => {
    // (0.5, 0.2) 1, (0.5, 0.5) ½, (0.9, 0.2) 1, (0.9, 0.5) 1 → 3.5/4.
    expect(auc([0.2, 0.5, 0.5, 0.9], [false, true, false, true])).toBeCloseTo(0.875, 10);
    expect(auc([0.5, 0.5], [true, false])).toBe(0.5);
    expect(auc([0.9, 0.1], [false, true])).toBe(0);
  });

  it("needs both classes", () => {
    expect(() => auc([0.1, 0.2], [true, true])).toThrow(/positives and negatives/);
  });
});

describe("calibration", () => {
  it("Brier is the mean squared error of the probabilities", () => {
    // (1−1)² + (0−1)² + (0.5−0)² + (0.8−1)² = 0 + 1 + 0.25 + 0.04 → 1.29 / 4.
    expect(brier([1, 0, 0.5, 0.8], [true, true, false, true])).toBeCloseTo(0.3225, 10);
  });

  const probs = [0.05, 0.15, 0.12, 0.95, 1.0];
  const outcome = [false, true, false, true, true];

  it("bins probabilities in tenths, 1.0 in the last bin", () => {
    const bins = reliabilityBins(probs, outcome);
    expect(bins).toHaveLength(10);
    expect(bins[0]).toMatchObject({ lower: 0, count: 1, observed: 0 });
    expect(bins[0].meanPredicted).toBeCloseTo(0.05, 10);
    expect(bins[1]).toMatchObject({ count: 2, observed: 0.5 });
    expect(bins[1].meanPredicted).toBeCloseTo(0.135, 10);
    expect(bins[9]).toMatchObject({ count: 2, observed: 1 });
    expect(bins[9].meanPredicted).toBeCloseTo(0.975, 10);
    expect(bins.slice(2, 9).every((b) => b.count === 0 && Number.isNaN(b.observed))).toBe(true);
    expect(() => reliabilityBins([1.2], [true])).toThrow(/out of \[0, 1\]/);
  });

  it("ECE weights each bin's gap by its share", () => {
    // 1/5·|0.05−0| + 2/5·|0.135−0.5| + 2/5·|0.975−1| = 0.01 + 0.146 + 0.01.
    expect(ece(probs, outcome)).toBeCloseTo(0.166, 10);
    // Perfectly calibrated: every bin's mean equals its observed rate.
    expect(ece([0.5, 0.5, 0, 1], [true, false, false, true])).toBeCloseTo(0, 10);
  });
});

describe("pooled reliability bins", () => {
  it("adds counts and weights each sample's means by its count", () => {
    const a = reliabilityBins([0.05, 0.15], [false, true]);
    const b = reliabilityBins([0.15, 0.11, 0.95], [false, false, true]);
    const pooled = poolBins([a, b]);
    // Bin 1 holds 0.15 (yes), 0.15 (no), 0.11 (no): mean 0.41/3, observed 1/3 — as if binned together.
    const together = reliabilityBins([0.05, 0.15, 0.15, 0.11, 0.95], [false, true, false, false, true]);
    expect(pooled[1].count).toBe(3);
    expect(pooled[1].meanPredicted).toBeCloseTo(0.41 / 3, 10);
    expect(pooled[1].observed).toBeCloseTo(1 / 3, 10);
    pooled.forEach((bin, i) => {
      expect(bin.count).toBe(together[i].count);
      if (bin.count) expect(bin.meanPredicted).toBeCloseTo(together[i].meanPredicted, 10);
    });
  });
});
