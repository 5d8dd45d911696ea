import { chooseMomentWeights } from "../../calibration/moment-weights.js";
import { momentRisk, momentScore } from "../../calibration/noisy-or.js";
import { DEFAULT_SEVERITY_SHARES, severityBands, thresholdKeepingRecall } from "../../calibration/threshold.js";
import type { Db } from "../../db/client.js";
import { momentRulesSchema, severityOf, type MomentRules } from "../../journeys/journey-risk.js";
import { wilson } from "../../lib/wilson.js";
import { judgedMoments, rulesByVersion, storedMoments, strengthsOf } from "./data.js";
import { enough, tooFew } from "./minimum.js";
import type { CalibrationState } from "./state.js";

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Moment rules: the signals' weights refitted (noisy-OR likelihood or logistic), a threshold keeping
 * recall, and severity bands cut on the window's moments as the new weights score them, so each band
 * holds its share of the flags (DEFAULT_SEVERITY_SHARES: critical one in twenty).
 */
export async function fitMoments(db: Db, state: CalibrationState, from: Date, to: Date, keepRecall: number) {
  const shipped = state.shippedRules.momentRules;
  const versions = await rulesByVersion(db, state.shippedRules);
  const data = (await judgedMoments(db, from, to)).map((j) => ({
    confirmed: j.confirmed,
    strengths: strengthsOf(j.weights, versions.get(j.version ?? ""), shipped),
  }));
  const pos = data.filter((d) => d.confirmed).length;
  const neg = data.length - pos;
  const fit = { verdicts: data.length, confirmed: pos, falseAlarms: neg };
  if (!enough(pos, neg))
    return { fit: { ...fit, fitted: false, why: tooFew("moment", pos, neg) }, rules: null, effect: null };

  const current = state.momentRules.rules;
  const start = Object.fromEntries(Object.entries(current.signals).map(([code, s]) => [code, s.weight]));
  const chosen = chooseMomentWeights(data, start);
  const weights = chosen.weights;
  const oldScore = data.map((d) => momentRisk(start, d.strengths));
  const newScore = data.map((d) => momentRisk(weights, d.strengths));
  const hitsAt = (scores: number[], t: number) => {
    let tp = 0,
      fp = 0;
    scores.forEach((s, i) => {
      if (s < t) return;
      if (data[i].confirmed) tp++;
      else fp++;
    });
    return { precision: wilson(tp, tp + fp), recall: wilson(tp, pos) };
  };
  const before = hitsAt(oldScore, current.threshold);
  const target = keepRecall * (before.recall.value ?? 1);
  const placed = thresholdKeepingRecall(
    newScore.map((score, i) => ({ score, positive: data[i].confirmed })),
    target,
  );
  const threshold = Math.min(0.99, Math.max(0.05, r2(placed?.threshold ?? current.threshold)));
  const after = hitsAt(newScore, threshold);

  const stored = (await storedMoments(db, from, to)).map((m) => {
    const score = momentScore(weights, strengthsOf(m.weights, versions.get(m.version), shipped));
    return { severity: m.severity, score, risk: Math.round(score * 100) / 100 };
  });
  const flaggedAfter = stored.filter((m) => m.risk >= threshold);
  const shares = DEFAULT_SEVERITY_SHARES;
  const severity = severityBands(
    flaggedAfter.map((m) => m.score),
    threshold,
    shares,
  );
  const rules: MomentRules = momentRulesSchema.parse({
    ...current,
    threshold,
    severity,
    severityShares: shares,
    signals: Object.fromEntries(
      Object.entries(current.signals).map(([code, s]) => [code, { ...s, weight: weights[code] ?? s.weight }]),
    ),
  });
  const tally = (xs: Array<string | null>) =>
    Object.fromEntries(["low", "medium", "high", "critical"].map((s) => [s, xs.filter((x) => x === s).length]));
  const severityBefore = tally(stored.map((m) => m.severity));
  const severityAfter = tally(flaggedAfter.map((m) => severityOf(m.score, severity)));
  const shareOf = (k: number, n: number) => (n ? Math.round((1000 * k) / n) / 1000 : null);
  return {
    fit: {
      ...fit,
      fitted: true,
      measured: { ...chosen.measured, inForce: chosen.inForce },
      chosen: chosen.chosen,
      why:
        chosen.chosen === "logistic"
          ? "signal weights from a regularised logistic regression of the verdicts: it ranked held-out moments better (area under the ROC curve, 5-fold cross-validation) than the noisy-OR likelihood"
          : "signal weights by maximum likelihood of the verdicts (noisy-OR), pulled towards the weights in force: it ranked held-out moments at least as well (area under the ROC curve, 5-fold cross-validation) as the logistic regression",
    },
    rules,
    effect: {
      thresholdBefore: current.threshold,
      thresholdAfter: threshold,
      flagsBefore: stored.length,
      flagsAfter: flaggedAfter.length,
      precisionBefore: before.precision,
      precisionAfter: after.precision,
      recallBefore: before.recall,
      recallAfter: after.recall,
      severityBefore,
      severityAfter,
      // "Critical" before and after: how many of the flags each calls critical, and their share.
      critical: {
        before: severityBefore.critical,
        after: severityAfter.critical,
        shareBefore: shareOf(severityBefore.critical, stored.length),
        shareAfter: shareOf(severityAfter.critical, flaggedAfter.length),
        target: shares.critical,
      },
      severityCuts: { before: current.severity, after: severity },
      reasons: Object.keys(current.signals)
        .map((code) => ({
          code,
          before: current.signals[code].weight,
          after: rules.signals[code].weight,
          change: r2(rules.signals[code].weight - current.signals[code].weight),
        }))
        .sort((a, b) => Math.abs(b.change) - Math.abs(a.change)),
    },
  };
}
