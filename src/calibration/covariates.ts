// The complaint probability from the model's risk and what else the analysis says of an interaction:
// its channel, its complaint reason codes and its needs. Unlike Platt or isotonic, which keep the
// model's order, covariates move an interaction above or below others at the same risk: a logistic
// calibration with covariates can raise precision at the same recall. Pure.
import { fitLogistic } from "./logistic.js";
import {
  fitIsotonic,
  fitPlatt,
  logitOf,
  probabilityOf,
  type CovariateMap,
  type ProbabilityMap,
  type WeightedPoint,
} from "./probability.js";

/** One interaction as calibration reads it: its stored risk, its covariates, and its label. */
export interface JudgedInteraction {
  risk: number;
  covariates: string[];
  positive: boolean;
}

/** The covariates of an interaction, as a logistic map names them. */
export function covariatesOf(channel: string | null, reasonCodes: readonly string[], needIds: readonly string[]) {
  const out: string[] = [];
  if (channel) out.push(`channel:${channel}`);
  for (const r of reasonCodes) out.push(`reason:${r}`);
  for (const n of needIds) out.push(`need:${n}`);
  return [...new Set(out)];
}

/**
 * A covariate enters the fit only when at least this many judged interactions carry it and at least
 * this many do not: one seen on a handful of verdicts would be fitted to those verdicts alone.
 */
export const MIN_COVARIATE_ROWS = 20;
/**
 * The fewest judged interactions the covariate model is tried on (at least `MIN_COVARIATE_EACH_WAY`
 * each way). With ~30 covariates in play that is ~10 verdicts of the rarer class per coefficient, the
 * usual rule of thumb for a logistic regression that is not fitted to noise.
 */
export const MIN_COVARIATE_VERDICTS = 300;
export const MIN_COVARIATE_EACH_WAY = 50;

/** Ridge penalty on the covariates (not on the logit's slope): the prior "a covariate adds nothing". */
const L2 = 2;

/** The logistic calibration with covariates, fitted on the judged interactions. */
export function fitCovariateMap(rows: JudgedInteraction[]): CovariateMap {
  const seen = new Map<string, number>();
  for (const r of rows) for (const c of r.covariates) seen.set(c, (seen.get(c) ?? 0) + 1);
  const kept = new Set(
    [...seen].filter(([, n]) => n >= MIN_COVARIATE_ROWS && rows.length - n >= MIN_COVARIATE_ROWS).map(([c]) => c),
  );
  const fit = fitLogistic(
    rows.map((r) => {
      const x: Record<string, number> = { __logit: logitOf(r.risk) };
      for (const c of r.covariates) if (kept.has(c)) x[c] = 1;
      return { x, y: r.positive };
    }),
    { l2: L2, unpenalised: ["__logit"] },
  );
  const covariates: Record<string, number> = {};
  for (const [c, b] of Object.entries(fit.coef)) if (c !== "__logit" && Math.abs(b) >= 1e-4) covariates[c] = r4(b);
  return { method: "logistic", intercept: r4(fit.intercept), slope: r4(fit.coef.__logit ?? 1), covariates };
}

/** Rows grouped by risk (two decimals), as Platt and isotonic are fitted. */
export function pointsOf(rows: JudgedInteraction[]): WeightedPoint[] {
  const byRisk = new Map<number, WeightedPoint>();
  for (const r of rows) {
    const x = Math.round(r.risk * 100) / 100;
    const p = byRisk.get(x) ?? { x, pos: 0, neg: 0 };
    if (r.positive) p.pos++;
    else p.neg++;
    byRisk.set(x, p);
  }
  return [...byRisk.values()].sort((a, b) => a.x - b.x);
}

export type ComplaintMethod = "platt" | "isotonic" | "logistic";
export interface Measured {
  logLoss: number;
  brier: number;
}

/**
 * Platt, isotonic and (with enough verdicts) the logistic map with covariates, measured by k-fold
 * cross-validation on the same judged interactions (dealt round-robin in order of risk, so every fold
 * spans all risks), and the one with the lowest held-out log loss chosen.
 */
export function chooseComplaintMap(rows: JudgedInteraction[], folds = 5) {
  const pos = rows.filter((r) => r.positive).length;
  const withCovariates =
    rows.length >= MIN_COVARIATE_VERDICTS &&
    pos >= MIN_COVARIATE_EACH_WAY &&
    rows.length - pos >= MIN_COVARIATE_EACH_WAY;
  const order = [...rows].sort((a, b) => a.risk - b.risk);
  const fitters: Record<ComplaintMethod, (train: JudgedInteraction[]) => ProbabilityMap> = {
    platt: (t) => fitPlatt(pointsOf(t)),
    isotonic: (t) => fitIsotonic(pointsOf(t)),
    logistic: fitCovariateMap,
  };
  const methods: ComplaintMethod[] = withCovariates ? ["platt", "isotonic", "logistic"] : ["platt", "isotonic"];
  const measured: Partial<Record<ComplaintMethod, Measured>> = {};
  for (const m of methods) {
    let ll = 0;
    let brier = 0;
    for (let k = 0; k < folds; k++) {
      const train = order.filter((_, i) => i % folds !== k);
      const map = fitters[m](train);
      for (let i = k; i < order.length; i += folds) {
        const r = order[i];
        const q = Math.min(1 - 1e-6, Math.max(1e-6, probabilityOf(map, r.risk, r.covariates)));
        ll -= r.positive ? Math.log(q) : Math.log(1 - q);
        brier += ((r.positive ? 1 : 0) - q) ** 2;
      }
    }
    measured[m] = { logLoss: r4(ll / Math.max(1, order.length)), brier: r4(brier / Math.max(1, order.length)) };
  }
  const chosen = methods.reduce((best, m) => (measured[m]!.logLoss < measured[best]!.logLoss ? m : best), methods[0]);
  return {
    map: fitters[chosen](rows),
    measured,
    chosen,
    covariatesTried: withCovariates,
  };
}

const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
