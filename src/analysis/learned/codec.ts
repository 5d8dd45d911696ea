// Sparse int8 weights as text: ascending bucket indices as varint deltas, values as signed bytes,
// both base64, so a model of ~10^5 non-zero weights per head stays well under a megabyte.

export function encodeSparse(weights: Float64Array, scale: number): { indices: string; values: string; count: number } {
  const idx: number[] = [];
  const vals: number[] = [];
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const q = Math.max(-127, Math.min(127, Math.round(weights[i] / scale)));
    if (q === 0) continue;
    let delta = i - last;
    last = i;
    while (delta >= 0x80) {
      idx.push((delta & 0x7f) | 0x80);
      delta >>>= 7;
    }
    idx.push(delta);
    vals.push(q & 0xff);
  }
  return {
    indices: Buffer.from(idx).toString("base64"),
    values: Buffer.from(vals).toString("base64"),
    count: vals.length,
  };
}

/** Calls `each(bucket, value)` for every stored weight; throws if the two lists disagree or run past `buckets`. */
export function decodeSparse(
  indices: string,
  values: string,
  buckets: number,
  each: (bucket: number, value: number) => void,
): number {
  const idx = Buffer.from(indices, "base64");
  const vals = new Int8Array(Buffer.from(values, "base64"));
  let at = -1;
  let v = 0;
  let i = 0;
  while (i < idx.length) {
    let delta = 0;
    let shift = 0;
    let byte: number;
    do {
      if (i >= idx.length) throw new Error("indices end inside a number");
      byte = idx[i++];
      delta |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 28);
    if (delta <= 0) throw new Error("indices must be strictly ascending");
    at += delta;
    if (at >= buckets) throw new Error(`bucket ${at} is outside 0..${buckets - 1}`);
    if (v >= vals.length) throw new Error("fewer values than indices");
    each(at, vals[v++]);
  }
  if (v !== vals.length) throw new Error("more values than indices");
  return v;
}
