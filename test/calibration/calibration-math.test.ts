import { describe, expect, it } from "vitest";
import {
  chooseProbabilityMap,
  fitIsotonic,
  fitPlatt,
  probabilityOf,
  scoreMap,
} from "../../src/calibration/probability.js";
import { fitNoisyOr, momentRisk } from "../../src/calibration/noisy-or.js";
import { cutBetween, severityBands, thresholdKeepingRecall } from "../../src/calibration/threshold.js";
import {
  momentRulesSchema,
  reachesCut,
  scoreJourney,
  severityOf,
  type JourneyItem,
} from "../../src/journeys/journey-risk.js";
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

  it("makes critical about one flag in twenty, bands rising from the threshold", () => {
    // Risks come in hundredths: 0.50 to 0.99, each twice. A cut falls between runs of ties: 4 or 6 for
    // a target of 5, and the band errs towards rare.
    const scores = Array.from({ length: 100 }, (_, i) => 0.5 + Math.floor(i / 2) / 100);
    const bands = severityBands(scores, 0.5);
    const count = (cut: number) => scores.filter((s) => reachesCut(s, cut)).length;
    expect(bands.low).toBe(0.5);
    expect(count(bands.critical)).toBe(4);
    expect(count(bands.high)).toBe(20);
    expect(count(bands.medium)).toBe(50);
    expect(severityBands([], 0.6)).toEqual({ low: 0.6, medium: 0.7, high: 0.8, critical: 0.9 });
  });

  it("separates scores that all show as 1.00, with cuts as short as tell them apart", () => {
    // Refitted weights near 0.95 pile moments up above 0.99: shown to two decimals, 14 of 20 read 1.00.
    const scores = [
      0.99998, 0.99993, 0.99993, 0.99977, 0.99923, 0.99897, 0.99855, 0.99785, 0.99578, 0.99534, 0.99534, 0.99351,
      0.99303, 0.99024, 0.989, 0.989, 0.98443, 0.9705, 0.9587, 0.9171,
    ];
    const bands = severityBands(scores, 0.92);
    const band = (s: number) => severityOf(s, bands);
    expect(scores.filter((s) => band(s) === "critical")).toEqual([0.99998]);
    expect(scores.filter((s) => band(s) === "high")).toHaveLength(3);
    // Medium: 9 or 11 of 20 for a target of 10 (0.99534 ties), so 9 in all, 5 of them medium.
    expect(scores.filter((s) => band(s) === "medium")).toHaveLength(5);
    // Below the threshold as shown (0.9171 reads 0.92, flagged) every flag is at least low.
    expect(scores.every((s) => band(s) !== null)).toBe(true);
    // The cuts are valid rules: they rise, and one read back from JSON bands the same.
    const rules = loadMomentRules().rules;
    const parsed = momentRulesSchema.parse(JSON.parse(JSON.stringify({ ...rules, threshold: 0.92, severity: bands })));
    expect(scores.map((s) => severityOf(s, parsed.severity))).toEqual(scores.map(band));
  });

  it("a cut is compared at its own precision: a two-decimal cut reads the score as shown", () => {
    expect(reachesCut(0.8951, 0.9)).toBe(true);
    expect(reachesCut(0.8949, 0.9)).toBe(false);
    expect(reachesCut(0.99993, 0.99994)).toBe(false);
    expect(reachesCut(0.999936, 0.99994)).toBe(true);
    expect(cutBetween(0.99993, 0.99977)).toBe(0.9999);
    expect(cutBetween(0.99998, 0.99993)).toBe(0.99998);
    expect(cutBetween(0.9, 0.9)).toBeNull();
  });

  it("refuses bands that fall, and shares that leave no flag low", () => {
    const rules = loadMomentRules().rules;
    const bad = momentRulesSchema.safeParse({
      ...rules,
      severity: { low: 0.6, medium: 0.9, high: 0.8, critical: 0.95 },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].path).toEqual(["severity"]);
    const shares = momentRulesSchema.safeParse({ ...rules, severityShares: { critical: 0.2, high: 0.4, medium: 0.4 } });
    expect(shares.error?.issues[0].path).toEqual(["severityShares"]);
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
