/**
 * The fewest verdicts a part is fitted from: 30 judged subjects of its kind, at least 5 of them each
 * way (complaints and not). Below that a Wilson interval on precision is wider than ±15 points and
 * a fitted curve follows single verdicts; that part is left as it is, and the answer says why.
 * (The logistic map with covariates asks for more: MIN_COVARIATE_VERDICTS in src/calibration/covariates.ts.)
 */
export const MIN_VERDICTS = 30;
export const MIN_EACH_WAY = 5;

export const enough = (pos: number, neg: number) =>
  pos + neg >= MIN_VERDICTS && pos >= MIN_EACH_WAY && neg >= MIN_EACH_WAY;

export const tooFew = (kind: string, pos: number, neg: number) =>
  `${pos + neg} ${kind} verdicts (${pos} complaints, ${neg} false alarms); a fit needs ${MIN_VERDICTS}, with at least ${MIN_EACH_WAY} each way`;
