import { describe, expect, it } from "vitest";
import {
  chooseProbabilityMap,
  fitIsotonic,
  fitPlatt,
  probabilityOf,
  scoreMap,
} from "../../src/calibration/probability.js";
import { fitNoisyOr, momentRisk } from "../../src/calibration/noisy-or.js";
import { severityBands, thresholdKeepingRecall } from "../../src/calibration/threshold.js";
import { scoreJourney, type JourneyItem } from "../../src/journeys/journey-risk.js";
import { loadMomentRules } from "../../src/services/moments/rules.js";

describe("isotonic regression (pool-adjacent-violators)", () => {
  it.each([
    // [points as x:pos/neg, expected probability at each x]
    // Rates are smoothed, (k + 1) / (n + 2): 0 of 2 reads 0.25, 2 of 2 reads 0.75.
    [
      "already increasing",
      [
        [0.1, 0, 2],
        [0.5, 1, 1],
        [0.9, 2, 0],
      ],
      [0.25, 0.5, 0.75],
    ],
    [
      "one violation pooled",
      [
        [0.1, 1, 0],
        [0.2, 0, 1],
        [0.3, 1, 0],
        [0.4, 1, 0],
      ],
      [0.5, 0.5, 0.75, 0.75],
    ],
    [
      "weights decide the pooled rate",
      [
        [0.2, 3, 1],
        [0.4, 0, 4],
      ],
      [0.4, 0.4],
    ],
    [
      "smoothing never makes it fall",
      [
        [0.1, 0, 1],
        [0.2, 1, 9],
      ],
      [0.3333, 0.3333],
    ],
  ] as const)("%s", (_why, pts, expected) => {
    const map = fitIsotonic(pts.map(([x, pos, neg]) => ({ x, pos, neg })));
    expect(pts.map(([x]) => probabilityOf(map, x))).toEqual(expected);
  });

  it("interpolates between steps and holds the ends", () => {
    const map = fitIsotonic([
      { x: 0.2, pos: 0, neg: 1 },
      { x: 0.6, pos: 1, neg: 0 },
    ]);
    expect(probabilityOf(map, 0.4)).toBeCloseTo(0.5);
    expect(probabilityOf(map, 0)).toBe(0.3333);
    expect(probabilityOf(map, 1)).toBe(0.6667);
  });
});

describe("Platt scaling", () => {
  it("rises with risk when complaints have higher risk, and is finite on separable data", () => {
    const map = fitPlatt([
      { x: 0.2, pos: 0, neg: 20 },
      { x: 0.5, pos: 5, neg: 5 },
      { x: 0.9, pos: 20, neg: 0 },
    ]);
    expect(map.method).toBe("platt");
    expect(probabilityOf(map, 0.2)).toBeLessThan(0.2);
    expect(probabilityOf(map, 0.5)).toBeCloseTo(0.5, 1);
    expect(probabilityOf(map, 0.9)).toBeGreaterThan(0.8);
    expect(probabilityOf(map, 0.9)).toBeLessThan(1);
  });
});

describe("choosing between them", () => {
  it("picks isotonic for a step the logistic curve cannot follow, measuring both on held-out verdicts", () => {
    // A deployment where nothing under 0.7 is a complaint and nearly everything over it is.
    const points = Array.from({ length: 21 }, (_, i) => i / 20).map((x) => ({
      x,
      pos: x >= 0.7 ? 19 : 1,
      neg: x >= 0.7 ? 1 : 19,
    }));
    const chosen = chooseProbabilityMap(points);
    expect(chosen.chosen).toBe("isotonic");
    expect(chosen.measured.isotonic.logLoss).toBeLessThan(chosen.measured.platt.logLoss);
    expect(scoreMap(chosen.map, points).brier).toBeLessThan(scoreMap(fitPlatt(points), points).brier);
  });
});

describe("threshold and bands", () => {
  const items = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4].map((score, i) => ({
    score,
    positive: [true, true, false, true, false, false][i],
  }));
  it.each([
    [1, 0.6, 0.75],
    [0.6, 0.8, 1],
  ])("keeping recall %f puts the threshold at %f (precision %f)", (minRecall, threshold, precision) => {
    expect(thresholdKeepingRecall(items, minRecall)).toMatchObject({ threshold, precision });
  });

  it("makes critical one flag in twenty, bands rising from the threshold", () => {
    // Risks come in hundredths: 0.50 to 0.99, each twice.
    const scores = Array.from({ length: 100 }, (_, i) => 0.5 + Math.floor(i / 2) / 100);
    const bands = severityBands(scores, 0.5);
    expect(bands.low).toBe(0.5);
    expect(scores.filter((s) => s >= bands.critical - 1e-9).length).toBe(6);
    expect(scores.filter((s) => s >= bands.high - 1e-9).length).toBe(20);
    expect(bands.medium).toBeLessThan(bands.high);
    expect(severityBands([], 0.6)).toEqual({ low: 0.6, medium: 0.7, high: 0.8, critical: 0.9 });
  });
});

describe("refitting the moment weights", () => {
  it("raises a signal behind confirmed moments, lowers one behind false alarms, keeps one nobody judged", () => {
    const start = { good: 0.4, bad: 0.4, unseen: 0.3 };
    const data = [
      ...Array.from({ length: 40 }, () => ({ strengths: { good: 1 }, confirmed: true })),
      ...Array.from({ length: 40 }, () => ({ strengths: { bad: 1 }, confirmed: false })),
    ];
    const w = fitNoisyOr(data, start);
    expect(w.good).toBeGreaterThan(0.7);
    expect(w.bad).toBeLessThan(0.15);
    expect(w.unseen).toBe(0.3);
  });

  it("scores a moment's reasons exactly as the journey scorer does", () => {
    const { rules } = loadMomentRules();
    const at = Date.parse("2026-03-01T10:00:00Z");
    const journey: JourneyItem[] = [
      { kind: "event", id: "e1", occurredAt: at - 10 * 60_000, type: "error", status: "shown" },
      {
        kind: "interaction",
        id: "i1",
        occurredAt: at - 5 * 60_000,
        channel: "chat",
        sentiment: -0.6,
        risk: 0.55,
        needs: ["refund"],
        waitSeconds: 400,
      },
      {
        kind: "interaction",
        id: "i2",
        occurredAt: at,
        channel: "social",
        sentiment: -0.7,
        risk: 0.72,
        needs: ["refund", "escalate"],
        public: true,
      },
    ];
    const score = scoreJourney(journey[2], journey, rules);
    const weights = Object.fromEntries(Object.entries(rules.signals).map(([c, s]) => [c, s.weight]));
    const strengths = Object.fromEntries(score.reasons.map((r) => [r.code, r.weight / rules.signals[r.code].weight]));
    expect(score.reasons.length).toBeGreaterThan(3);
    expect(momentRisk(weights, strengths)).toBe(score.risk);
  });
});
