import { chooseComplaintMap, MIN_COVARIATE_VERDICTS, type JudgedInteraction } from "../../calibration/covariates.js";
import { probabilityOf } from "../../calibration/probability.js";
import { thresholdKeepingRecall } from "../../calibration/threshold.js";
import type { Db } from "../../db/client.js";
import type { ComplaintCalibration } from "../../db/schema/index.js";
import { wilson } from "../../lib/wilson.js";
import { interactionRows, type InteractionRow } from "./data.js";
import { enough, tooFew } from "./minimum.js";
import type { CalibrationState } from "./state.js";

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;

/** Precision and recall, with Wilson intervals, of `flags` over the judged rows. */
function measure(rows: InteractionRow[], flags: (r: InteractionRow) => boolean) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of rows) {
    if (r.positive === null) continue;
    const f = flags(r);
    if (f && r.positive) tp++;
    else if (f) fp++;
    else if (r.positive) fn++;
  }
  return { precision: wilson(tp, tp + fp), recall: wilson(tp, tp + fn) };
}

/**
 * Complaint probability: Platt, isotonic and (with enough verdicts) a logistic map with covariates
 * measured on the verdicts, the best held out chosen, and a threshold placed on it.
 *
 * An unflagged interaction nobody reported as missed counts as not a complaint. Agents judge flags and
 * report misses, so below the threshold the only verdicts are complaints: fitted on verdicts alone,
 * every low risk would read as a certain complaint and any threshold would flag everything. An
 * unflagged interaction no one objected to is the agents' silent "right"; since agents report only
 * some misses, this reads the complaint rate at low risks low, which errs towards flagging less.
 */
export async function fitComplaint(db: Db, state: CalibrationState, from: Date, to: Date, keepRecall: number) {
  const rows = await interactionRows(db, from, to);
  const judgedRows = rows.filter((r) => r.judged);
  const pos = judgedRows.filter((r) => r.positive).length;
  const neg = judgedRows.length - pos;
  const labelled: JudgedInteraction[] = [];
  for (const r of rows)
    if (r.positive !== null) labelled.push({ risk: r.risk, covariates: r.covariates, positive: r.positive });
  const fit = {
    verdicts: pos + neg,
    complaints: pos,
    notComplaints: neg,
    presumedNotComplaints: rows.filter((r) => !r.judged && r.positive === false).length,
    minCovariateVerdicts: MIN_COVARIATE_VERDICTS,
  };
  if (!enough(pos, neg))
    return { fit: { ...fit, fitted: false, why: tooFew("interaction", pos, neg) }, complaint: null, effect: null };

  const chosen = chooseComplaintMap(labelled);
  const p = (r: { risk: number; covariates: string[] }) => probabilityOf(chosen.map, r.risk, r.covariates);
  const now = state.thresholds();
  const scoreNow = (r: InteractionRow) => (now.probability ? now.probability(r.risk, r.covariates) : r.risk);
  const before = measure(rows, (r) => scoreNow(r) >= now.interaction);
  const target = keepRecall * (before.recall.value ?? 1);
  const placed = thresholdKeepingRecall(
    labelled.map((r) => ({ score: p(r), positive: r.positive })),
    target,
  );
  const threshold = r4(placed?.threshold ?? now.interaction);
  const after = measure(rows, (r) => p(r) >= threshold);
  const complaint: ComplaintCalibration = { map: chosen.map, threshold };
  const covariates = chosen.map.method === "logistic" ? chosen.map.covariates : {};
  return {
    fit: {
      ...fit,
      fitted: true,
      measured: chosen.measured,
      chosen: chosen.chosen,
      why: chosen.covariatesTried
        ? `${chosen.chosen} had the lowest held-out log loss (5-fold cross-validation) of Platt, isotonic and logistic with covariates`
        : `${chosen.chosen} had the lower held-out log loss (5-fold cross-validation); the logistic map with covariates needs ${MIN_COVARIATE_VERDICTS} judged interactions`,
    },
    complaint,
    effect: {
      thresholdBefore: now.interaction,
      thresholdAfter: threshold,
      flagsBefore: rows.filter((r) => r.flagged).length,
      flagsAfter: rows.filter((r) => p(r) >= threshold).length,
      precisionBefore: before.precision,
      precisionAfter: after.precision,
      recallBefore: before.recall,
      recallAfter: after.recall,
      curve: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((risk) => ({
        risk,
        probability: r4(p({ risk, covariates: [] })),
      })),
      // Which covariates raise or lower the probability at a given risk (a logistic map's), largest first.
      covariates: Object.entries(covariates)
        .map(([name, weight]) => ({ name, weight }))
        .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight)),
    },
  };
}
