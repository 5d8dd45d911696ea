// Regularised logistic regression, the one fitter behind the two calibrations that can reorder:
// the complaint probability from the model's logit plus covariates (channel, reason codes, needs),
// and the moment rules' signal weights. Pure: rows in, coefficients out.

/** One judged subject: its numeric inputs by name (absent = 0), and whether it was a complaint. */
export interface LogisticRow {
  x: Record<string, number>;
  y: boolean;
  /** How many verdicts the row stands for (default 1). */
  w?: number;
}

export interface LogisticFit {
  intercept: number;
  coef: Record<string, number>;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

export function linearScore(fit: LogisticFit, x: Record<string, number>): number {
  let z = fit.intercept;
  for (const [k, v] of Object.entries(x)) z += (fit.coef[k] ?? 0) * v;
  return z;
}

/**
 * Maximum a posteriori logistic regression: log loss plus `l2`/2 · Σ β² (not on the intercept), by
 * Newton's method (iteratively reweighted least squares) on the named inputs. `nonNegative` projects
 * each coefficient onto β ≥ 0 after every step, for inputs that may only add risk (a moment's signals
 * are written back as noisy-OR weights, which are positive). `fixed` inputs are left unpenalised.
 */
export function fitLogistic(
  rows: LogisticRow[],
  opts: { l2?: number; nonNegative?: boolean; unpenalised?: string[]; iterations?: number } = {},
): LogisticFit {
  const l2 = opts.l2 ?? 1;
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.x)))].sort();
  const free = new Set(opts.unpenalised ?? []);
  const d = names.length + 1;
  const beta = new Array<number>(d).fill(0);
  let pos = 0;
  let all = 0;
  for (const r of rows) {
    all += r.w ?? 1;
    if (r.y) pos += r.w ?? 1;
  }
  beta[0] = Math.log((pos + 0.5) / (all - pos + 0.5));
  const xs = rows.map((r) => {
    const v = new Array<number>(d).fill(0);
    v[0] = 1;
    names.forEach((n, j) => {
      v[j + 1] = r.x[n] ?? 0;
    });
    return v;
  });
  for (let it = 0; it < (opts.iterations ?? 50); it++) {
    const g = new Array<number>(d).fill(0);
    const h = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    for (let i = 0; i < rows.length; i++) {
      const v = xs[i];
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j] * v[j];
      const q = sigmoid(z);
      const w = rows[i].w ?? 1;
      const resid = w * (q - (rows[i].y ? 1 : 0));
      const curv = w * q * (1 - q);
      for (let j = 0; j < d; j++) {
        if (v[j] === 0) continue;
        g[j] += resid * v[j];
        for (let k = j; k < d; k++) if (v[k] !== 0) h[j][k] += curv * v[j] * v[k];
      }
    }
    for (let j = 1; j < d; j++) {
      if (free.has(names[j - 1])) continue;
      g[j] += l2 * beta[j];
      h[j][j] += l2;
    }
    for (let j = 0; j < d; j++) {
      h[j][j] += 1e-9;
      for (let k = 0; k < j; k++) h[j][k] = h[k][j];
    }
    const step = solve(h, g);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      beta[j] -= step[j];
      if (opts.nonNegative && j > 0 && beta[j] < 0) beta[j] = 0;
      moved = Math.max(moved, Math.abs(step[j]));
    }
    if (moved < 1e-8) break;
  }
  return { intercept: beta[0], coef: Object.fromEntries(names.map((n, j) => [n, beta[j + 1]])) };
}

/** Gaussian elimination with partial pivoting (the systems are small: one row per input). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const piv = m[c][c] || 1e-12;
    for (let r = c + 1; r < n; r++) {
      const f = m[r][c] / piv;
      if (f === 0) continue;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r][n];
    for (let k = r + 1; k < n; k++) s -= m[r][k] * x[k];
    x[r] = s / (m[r][r] || 1e-12);
  }
  return x;
}

/** The area under the ROC curve (ties count half): how well `score` ranks complaints above the rest. */
export function auc(items: Array<{ score: number; positive: boolean }>): number {
  const sorted = [...items].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let pos = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const mid = (i + j + 1) / 2;
    for (let k = i; k < j; k++)
      if (sorted[k].positive) {
        rankSum += mid;
        pos++;
      }
    i = j;
  }
  const neg = sorted.length - pos;
  return pos && neg ? (rankSum - (pos * (pos + 1)) / 2) / (pos * neg) : 0.5;
}
