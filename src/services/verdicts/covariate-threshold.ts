import type { Db } from "../../db/client.js";
import { wilson } from "../../lib/wilson.js";
import { interactionRows } from "../calibration/data.js";
import type { FlagThresholds } from "./quality.js";

/**
 * The interaction threshold in force measured as atThreshold measures it, for a calibration whose
 * probability reads covariates (a logistic map): verdict by verdict, each with the channel, reasons
 * and needs of the interaction it judged, since a risk alone no longer says what is flagged. Reads
 * the newest 50,000 interactions of the window, as a fit does.
 */
export async function atThresholdWithCovariates(db: Db, from: Date, to: Date, thresholds: FlagThresholds) {
  const p = thresholds.probability ?? ((risk: number) => risk);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const r of await interactionRows(db, from, to)) {
    if (!r.judged) continue;
    const flagged = p(r.risk, r.covariates) >= thresholds.interaction;
    if (flagged && r.positive) tp++;
    else if (flagged) fp++;
    else if (r.positive) fn++;
  }
  return {
    threshold: thresholds.interaction,
    judgedFlags: tp + fp,
    precision: wilson(tp, tp + fp),
    recall: wilson(tp, tp + fn),
  };
}
