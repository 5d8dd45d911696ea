import type { FeatureBuffer } from "./feature-buffer.js";

/**
 * Drops the features of every term that is not one of the sentences' sentiment drivers (the words
 * the rules read as opinion, with their negators and degree words); a bigram stays when either of its
 * words is one. The buffer is compacted in place.
 */
export function keepDriverTerms(
  sentences: ReadonlyArray<{ drivers: ReadonlyArray<{ term: string }> }>,
  out: FeatureBuffer,
): void {
  const words = new Set<string>();
  for (const s of sentences) for (const d of s.drivers) for (const w of d.term.split(/\s+/)) if (w) words.add(w);
  const terms = out.terms;
  const n = terms.length;
  if (near.length < n) near = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const text = terms[i].text;
    let hit = words.has(text);
    // A driver the segmenter cut differently ("不满意" read from "不" "满意") still covers its words.
    if (!hit && text.length > 1) for (const w of words) if (w.includes(text)) hit = true;
    near[i] = hit ? 1 : 0;
  }
  let at = 0;
  for (let f = 0; f < out.length; f++) {
    const owner = out.owners[f];
    const keep = owner < n ? near[owner] === 1 : near[owner - n] === 1 || near[owner - n + 1] === 1;
    if (!keep) continue;
    out.buckets[at] = out.buckets[f];
    out.owners[at] = out.owners[f];
    out.values[at] = out.values[f];
    at++;
  }
  out.length = at;
}
let near = new Uint8Array(256);
