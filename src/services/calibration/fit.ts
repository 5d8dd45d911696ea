import { count } from "drizzle-orm";
import { chooseProbabilityMap, probabilityOf, type WeightedPoint } from "../../calibration/probability.js";
import { fitNoisyOr, momentRisk } from "../../calibration/noisy-or.js";
import { severityBands, thresholdKeepingRecall, type Labelled } from "../../calibration/threshold.js";
import { writeTransaction, ormFor, type Db } from "../../db/client.js";
import { calibrationAudit, calibrations, type ComplaintCalibration } from "../../db/schema/index.js";
import { momentRulesSchema, type MomentRules } from "../../journeys/journey-risk.js";
import { conflict } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import { wilson } from "../../lib/wilson.js";
import { atThreshold, judgedByRisk, type JudgedAtRisk } from "../verdicts/quality.js";
import { interactionsByRisk, judgedMoments, rulesByVersion, storedMoments, strengthsOf } from "./data.js";
import type { CalibrationState } from "./state.js";
import { actorNames } from "../people/actor-names.js";
import { calibrationView } from "./views.js";

/**
 * The fewest verdicts a part is fitted from: 30 judged subjects of its kind, at least 5 of them each
 * way (complaints and not). Below that a Wilson interval on precision is wider than ±15 points and
 * a fitted curve follows single verdicts; that part is left as it is, and the answer says why.
 */
export const MIN_VERDICTS = 30;
export const MIN_EACH_WAY = 5;

export interface ProposeInput {
  /** The window, in days before now, the fit and its effect are measured on. */
  days: number;
  /** Recall to keep, as a share of the recall in force: the threshold is the most precise one that keeps it. */
  keepRecall: number;
}

const DAY = 86_400_000;
const r2 = (x: number) => Math.round(x * 100) / 100;
const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

const enough = (pos: number, neg: number) => pos + neg >= MIN_VERDICTS && pos >= MIN_EACH_WAY && neg >= MIN_EACH_WAY;
const tooFew = (kind: string, pos: number, neg: number) =>
  `${pos + neg} ${kind} verdicts (${pos} complaints, ${neg} false alarms); a fit needs ${MIN_VERDICTS}, with at least ${MIN_EACH_WAY} each way`;

/**
 * The judged interactions, with each unflagged interaction nobody reported as missed counted as not a
 * complaint. Agents judge flags and report misses, so below the threshold the only verdicts are
 * complaints: fitted on verdicts alone, every low risk would read as a certain complaint, a monotone
 * curve would be flat and high, and any threshold would flag everything. An unflagged interaction no
 * one objected to is the agents' silent "right"; since agents report only some misses, this reads the
 * complaint rate at low risks low, which errs towards flagging less, as the shipped rules do.
 */
function withQuietUnflagged(
  judged: JudgedAtRisk[],
  stored: Array<{ risk: number; n: number; flagged: number }>,
): JudgedAtRisk[] {
  const byRisk = new Map(judged.map((g) => [g.risk, { ...g }]));
  for (const s of stored) {
    const g = byRisk.get(s.risk) ?? { kind: "interaction", risk: s.risk, confirmed: 0, falseAlarm: 0, missed: 0 };
    g.falseAlarm += Math.max(0, s.n - s.flagged - g.missed);
    byRisk.set(s.risk, g);
  }
  return [...byRisk.values()].sort((a, b) => a.risk - b.risk);
}

/** Complaint probability: Platt and isotonic measured on the verdicts, the better one chosen, a threshold placed on it. */
async function fitComplaint(db: Db, state: CalibrationState, from: Date, to: Date, keepRecall: number) {
  const judged = (await judgedByRisk(db, from, to)).filter((g) => g.kind === "interaction");
  const pos = judged.reduce((s, g) => s + g.confirmed + g.missed, 0);
  const neg = judged.reduce((s, g) => s + g.falseAlarm, 0);
  const stored = await interactionsByRisk(db, from, to);
  const groups = withQuietUnflagged(judged, stored);
  const presumed = groups.reduce((s, g) => s + g.falseAlarm, 0) - neg;
  const fit = { verdicts: pos + neg, complaints: pos, notComplaints: neg, presumedNotComplaints: presumed };
  if (!enough(pos, neg))
    return { fit: { ...fit, fitted: false, why: tooFew("interaction", pos, neg) }, complaint: null, effect: null };
  const points: WeightedPoint[] = groups.map((g) => ({ x: g.risk, pos: g.confirmed + g.missed, neg: g.falseAlarm }));

  const chosen = chooseProbabilityMap(points);
  const p = (risk: number) => probabilityOf(chosen.map, risk);
  const now = state.thresholds();
  const before = atThreshold(groups, now.interaction, now.probability);
  const target = keepRecall * (before.recall.value ?? 1);
  const items: Labelled[] = [];
  for (const g of groups) {
    for (let i = 0; i < g.confirmed + g.missed; i++) items.push({ score: p(g.risk), positive: true });
    for (let i = 0; i < g.falseAlarm; i++) items.push({ score: p(g.risk), positive: false });
  }
  const placed = thresholdKeepingRecall(items, target);
  const threshold = r4(placed?.threshold ?? now.interaction);
  const after = atThreshold(groups, threshold, p);
  const complaint: ComplaintCalibration = { map: chosen.map, threshold };
  return {
    fit: {
      ...fit,
      fitted: true,
      measured: chosen.measured,
      chosen: chosen.chosen,
      why: `${chosen.chosen} had the lower held-out log loss (5-fold cross-validation)`,
    },
    complaint,
    effect: {
      thresholdBefore: now.interaction,
      thresholdAfter: threshold,
      flagsBefore: stored.reduce((s, g) => s + g.flagged, 0),
      flagsAfter: stored.reduce((s, g) => s + (p(g.risk) >= threshold ? g.n : 0), 0),
      precisionBefore: before.precision,
      precisionAfter: after.precision,
      recallBefore: before.recall,
      recallAfter: after.recall,
      curve: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((risk) => ({ risk, probability: r4(p(risk)) })),
    },
  };
}

/** Moment rules: the signals' weights refitted (noisy-OR likelihood), a threshold keeping recall, severity bands from the new scores. */
async function fitMoments(db: Db, state: CalibrationState, from: Date, to: Date, keepRecall: number) {
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
  const weights = fitNoisyOr(data, start);
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

  const stored = (await storedMoments(db, from, to)).map((m) => ({
    severity: m.severity,
    score: momentRisk(weights, strengthsOf(m.weights, versions.get(m.version), shipped)),
  }));
  const flaggedAfter = stored.filter((m) => m.score >= threshold);
  const severity = severityBands(
    flaggedAfter.map((m) => m.score),
    threshold,
  );
  const rules: MomentRules = momentRulesSchema.parse({
    ...current,
    threshold,
    severity,
    signals: Object.fromEntries(
      Object.entries(current.signals).map(([code, s]) => [code, { ...s, weight: weights[code] ?? s.weight }]),
    ),
  });
  const bandOf = (x: number) =>
    x >= severity.critical ? "critical" : x >= severity.high ? "high" : x >= severity.medium ? "medium" : "low";
  const tally = (xs: string[]) =>
    Object.fromEntries(["low", "medium", "high", "critical"].map((s) => [s, xs.filter((x) => x === s).length]));
  return {
    fit: {
      ...fit,
      fitted: true,
      why: "signal weights by maximum likelihood of the verdicts (noisy-OR), pulled towards the weights in force",
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
      severityBefore: tally(stored.map((m) => m.severity)),
      severityAfter: tally(flaggedAfter.map((m) => bandOf(m.score))),
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

/**
 * Fits a calibration from the verdicts on flags raised in the last `days` days and stores it as a
 * proposal with its effect on the same window: flags before and after, precision and recall before
 * and after, which reasons gain or lose weight. Nothing changes until an admin activates it. A kind
 * with too few verdicts keeps what is in force; with too few of both, nothing is proposed (conflict).
 */
export async function proposeCalibration(
  db: Db,
  state: CalibrationState,
  input: ProposeInput,
  actor: string,
  now: Date,
) {
  const to = now;
  const from = new Date(now.getTime() - input.days * DAY);
  const complaint = await fitComplaint(db, state, from, to, input.keepRecall);
  const moments = await fitMoments(db, state, from, to, input.keepRecall);
  if (!complaint.complaint && !moments.rules)
    throw conflict(
      `Too few verdicts in the last ${input.days} days to calibrate: ${complaint.fit.why}; ${moments.fit.why}.`,
    );
  const fit = {
    minVerdicts: MIN_VERDICTS,
    minEachWay: MIN_EACH_WAY,
    keepRecall: input.keepRecall,
    interaction: complaint.fit,
    moment: moments.fit,
  };
  const effect = {
    from: from.toISOString(),
    to: to.toISOString(),
    days: input.days,
    interactions: complaint.effect,
    moments: moments.effect,
  };
  const row = await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [{ n }] = await orm.select({ n: count() }).from(calibrations);
    const id = newId("cal", now.getTime());
    const [inserted] = await orm
      .insert(calibrations)
      .values({
        id,
        version: `c${n + 1}`,
        status: "proposed",
        windowDays: input.days,
        complaint: complaint.complaint,
        momentRules: moments.rules,
        fit,
        effect,
        createdBy: actor,
        createdAt: now,
      })
      .returning();
    await orm.insert(calibrationAudit).values({
      id: newId("cau", now.getTime()),
      calibrationId: id,
      action: "proposed",
      actor,
      previousId: state.active?.id ?? null,
      at: now,
    });
    return inserted;
  });
  return calibrationView(row, [], await actorNames(db, [row.createdBy]));
}

export type { JudgedAtRisk };
