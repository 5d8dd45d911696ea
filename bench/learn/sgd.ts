// Logistic regression heads trained together by AdaGrad SGD over sparse hashed features plus a
// dense block: one pass reads each example's features once and updates every head that has a label
// for it. Deterministic: a seeded shuffle, no clock, no parallelism.

export interface Example {
  buckets: Int32Array;
  values: Float32Array;
  dense: Float64Array;
  /** Per head: 1, 0, or NaN (no label). */
  labels: Float32Array;
}

export interface Trained {
  /** Head-major: weights[h * buckets + b]. */
  weights: Float64Array;
  dense: Float64Array[];
  bias: Float64Array;
}

export interface SgdOptions {
  buckets: number;
  heads: number;
  denseCount: number;
  epochs: number;
  rate: number;
  /** L2 strength, applied to the weights an example touches (lazy, per update). */
  l2: number;
  seed: number;
}

/** mulberry32: a small seeded PRNG, so the shuffle (and so the model) is the same on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

export function trainSgd(examples: Example[], o: SgdOptions): Trained {
  const { buckets: B, heads: H, denseCount: D } = o;
  const weights = new Float64Array(B * H);
  const g2 = new Float64Array(B * H);
  const dense = Array.from({ length: H }, () => new Float64Array(D));
  const dg2 = Array.from({ length: H }, () => new Float64Array(D));
  const bias = new Float64Array(H);
  const bg2 = new Float64Array(H);
  const order = examples.map((_, i) => i);
  const random = prng(o.seed);
  const eps = 1e-6;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const k of order) {
      const ex = examples[k];
      for (let h = 0; h < H; h++) {
        const y = ex.labels[h];
        if (Number.isNaN(y)) continue;
        const base = h * B;
        let z = bias[h];
        for (let f = 0; f < ex.buckets.length; f++) z += weights[base + ex.buckets[f]] * ex.values[f];
        const dw = dense[h];
        for (let j = 0; j < D; j++) z += dw[j] * ex.dense[j];
        const g = sigmoid(z) - y;
        if (g === 0) continue;
        for (let f = 0; f < ex.buckets.length; f++) {
          const at = base + ex.buckets[f];
          const grad = g * ex.values[f] + o.l2 * weights[at];
          g2[at] += grad * grad;
          weights[at] -= (o.rate * grad) / Math.sqrt(g2[at] + eps);
        }
        const dg = dg2[h];
        for (let j = 0; j < D; j++) {
          if (ex.dense[j] === 0) continue;
          const grad = g * ex.dense[j] + o.l2 * dw[j];
          dg[j] += grad * grad;
          dw[j] -= (o.rate * grad) / Math.sqrt(dg[j] + eps);
        }
        bg2[h] += g * g;
        bias[h] -= (o.rate * g) / Math.sqrt(bg2[h] + eps);
      }
    }
  }
  return { weights, dense, bias };
}

/**
 * Platt scaling: the a, b minimising log loss of sigmoid(a z + b) on held-out logits, by Newton's
 * method on the two parameters (Platt 1999, with his smoothed targets).
 */
export function fitPlatt(z: number[], y: number[]): { a: number; b: number } {
  const pos = y.filter((v) => v === 1).length;
  const neg = y.length - pos;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const t = y.map((v) => (v === 1 ? hi : lo));
  let a = 1;
  let b = 0;
  for (let it = 0; it < 100; it++) {
    let ga = 0,
      gb = 0,
      haa = 1e-9,
      hab = 0,
      hbb = 1e-9;
    for (let i = 0; i < z.length; i++) {
      const p = sigmoid(a * z[i] + b);
      const d = p - t[i];
      const w = p * (1 - p);
      ga += d * z[i];
      gb += d;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-12) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  // A head that learnt nothing (or the reverse of its labels) gets the flattest monotone map.
  return { a: Math.max(a, 1e-3), b };
}
