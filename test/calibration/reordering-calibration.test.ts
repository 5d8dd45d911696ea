import { describe, expect, it } from "vitest";
import { chooseComplaintMap, fitCovariateMap, type JudgedInteraction } from "../../src/calibration/covariates.js";
import { auc, fitLogistic } from "../../src/calibration/logistic.js";
import { chooseMomentWeights, fitLogisticWeights } from "../../src/calibration/moment-weights.js";
import { momentRisk, type JudgedMoment } from "../../src/calibration/noisy-or.js";
import { probabilityOf } from "../../src/calibration/probability.js";

// The calibrations that can reorder, on synthetic verdicts whose truth is known: a deterministic
// pseudo-random stream (a linear congruential generator), so every run sees the same data.
function lcg(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

describe("logistic regression", () => {
  it("recovers the coefficients that made the data", () => {
    const rnd = lcg(1);
    const rows = Array.from({ length: 4000 }, () => {
      const a = rnd() < 0.5 ? 1 : 0;
      const b = rnd() * 2 - 1;
      return { x: { a, b }, y: rnd() < sigmoid(-0.5 + 1.5 * a - 2 * b) };
    });
    const fit = fitLogistic(rows, { l2: 0.01 });
    expect(fit.intercept).toBeCloseTo(-0.5, 0);
    expect(fit.coef.a).toBeGreaterThan(1.2);
    expect(fit.coef.a).toBeLessThan(1.8);
    expect(fit.coef.b).toBeLessThan(-1.6);
    expect(fit.coef.b).toBeGreaterThan(-2.4);
  });

  it("keeps coefficients at zero or above when asked", () => {
    const rnd = lcg(2);
    const rows = Array.from({ length: 1000 }, () => {
      const a = rnd() < 0.5 ? 1 : 0;
      return { x: { a }, y: rnd() < (a ? 0.2 : 0.6) };
    });
    expect(fitLogistic(rows).coef.a).toBeLessThan(0);
    expect(fitLogistic(rows, { nonNegative: true }).coef.a).toBe(0);
  });

  it("measures ranking by the area under the ROC curve, ties counting half", () => {
    expect(
      auc([
        { score: 1, positive: true },
        { score: 0, positive: false },
      ]),
    ).toBe(1);
    expect(
      auc([
        { score: 0, positive: true },
        { score: 1, positive: false },
      ]),
    ).toBe(0);
    expect(
      auc([
        { score: 0.5, positive: true },
        { score: 0.5, positive: false },
      ]),
    ).toBe(0.5);
  });
});

/** A deployment whose complaints depend on the risk and on a need the model does not weigh: refunds are not complaints here. */
function deployment(n: number, seed: number): JudgedInteraction[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, () => {
    const risk = Math.round(rnd() * 100) / 100;
    const refund = rnd() < 0.4;
    const z = -3 + 6 * risk - (refund ? 2.5 : 0);
    return {
      risk,
      covariates: refund ? ["channel:chat", "need:refund"] : ["channel:chat"],
      positive: rnd() < sigmoid(z),
    };
  });
}

describe("logistic calibration with covariates", () => {
  it("is chosen over Platt and isotonic when a covariate carries signal, and reorders interactions at one risk", () => {
    const rows = deployment(2000, 3);
    const chosen = chooseComplaintMap(rows);
    expect(chosen.covariatesTried).toBe(true);
    expect(chosen.chosen).toBe("logistic");
    expect(chosen.measured.logistic!.logLoss).toBeLessThan(chosen.measured.isotonic!.logLoss);
    expect(chosen.measured.logistic!.logLoss).toBeLessThan(chosen.measured.platt!.logLoss);
    const map = chosen.map;
    expect(map.method).toBe("logistic");
    if (map.method !== "logistic") return;
    expect(map.covariates["need:refund"]).toBeLessThan(-1.5);
    // A covariate every row carries says nothing and is left out.
    expect(map.covariates["channel:chat"]).toBeUndefined();
    expect(probabilityOf(map, 0.7, ["need:refund"])).toBeLessThan(probabilityOf(map, 0.7, []));
    // Held out, the covariate map ranks better than the risk alone (which Platt and isotonic keep).
    const test = deployment(2000, 4);
    const byRisk = auc(test.map((r) => ({ score: r.risk, positive: r.positive })));
    const byMap = auc(test.map((r) => ({ score: probabilityOf(map, r.risk, r.covariates), positive: r.positive })));
    expect(byMap).toBeGreaterThan(byRisk + 0.03);
  });

  it("is not tried below its minimum count of verdicts, nor chosen when covariates carry nothing", () => {
    expect(chooseComplaintMap(deployment(200, 5)).covariatesTried).toBe(false);
    const rnd = lcg(6);
    const plain = Array.from({ length: 2000 }, () => {
      const risk = Math.round(rnd() * 100) / 100;
      return { risk, covariates: rnd() < 0.5 ? ["need:refund"] : [], positive: rnd() < sigmoid(-3 + 6 * risk) };
    });
    const map = fitCovariateMap(plain);
    expect(map.method).toBe("logistic");
    expect(Math.abs(map.covariates["need:refund"] ?? 0)).toBeLessThan(0.3);
  });
});

describe("moment signal weights by logistic regression", () => {
  it("gives the signal that predicts the verdicts the larger weight, and ranks held-out moments better than the weights in force", () => {
    const make = (n: number, seed: number): JudgedMoment[] => {
      const rnd = lcg(seed);
      return Array.from({ length: n }, () => {
        const strengths: Record<string, number> = { contact_risk: Math.round(rnd() * 100) / 100 };
        if (rnd() < 0.4) strengths.escalation = 1;
        if (rnd() < 0.5) strengths.long_wait = 1;
        // Escalation makes a moment real here; a long wait does not.
        const z = -2 + 2 * strengths.contact_risk + (strengths.escalation ? 2.5 : 0);
        return { strengths, confirmed: rnd() < sigmoid(z) };
      });
    };
    const start = { contact_risk: 0.8, escalation: 0.2, long_wait: 0.6 };
    const train = make(1500, 7);
    const w = fitLogisticWeights(train, start);
    expect(w.escalation).toBeGreaterThan(w.long_wait);
    for (const v of Object.values(w)) expect(v).toBeGreaterThanOrEqual(0.01);
    expect(Math.max(...Object.values(w))).toBe(0.95);
    const test = make(1500, 8);
    const score = (weights: Record<string, number>) =>
      auc(test.map((m) => ({ score: momentRisk(weights, m.strengths), positive: m.confirmed })));
    expect(score(w)).toBeGreaterThan(score(start) + 0.05);
    const chosen = chooseMomentWeights(train, start);
    expect(chosen.measured[chosen.chosen].auc).toBeGreaterThan(chosen.inForce.auc);
  });
});
