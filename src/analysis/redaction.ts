import { detectPii, redact, type PiiSpan } from "./pii.js";
import type { Lexicons } from "./lexicons.js";
import type { AnalysisInput } from "./types.js";

/**
 * The text, turns and subject to store, personal data masked, and how much of each kind was found. Plain
 * loops: array methods over lists that are sometimes empty literals and sometimes built element by
 * element saw two array shapes, and V8 deoptimised the pipeline for each.
 */
export function redacted(input: AnalysisInput, config: Lexicons["pii"]) {
  // Made on the first span found: most messages have none.
  let piiCounts: Map<string, number> | undefined;
  const count = (spans: PiiSpan[]) => {
    for (const s of spans) (piiCounts ??= new Map()).set(s.kind, (piiCounts.get(s.kind) ?? 0) + 1);
  };
  // Turns are counted before the body, as the tally's order is the order kinds are listed in.
  const redactedTurns: string[] = [];
  for (const t of input.turns ?? []) {
    const spans = detectPii(t.text);
    count(spans);
    redactedTurns.push(redact(t.text, spans, config));
  }
  // The subject is analysed with the body, so its personal data is counted too.
  let redactedSubject: string | undefined;
  if (input.subject !== undefined) {
    const spans = detectPii(input.subject);
    count(spans);
    redactedSubject = redact(input.subject, spans, config);
  }
  const body = input.text?.trim() ?? "";
  let redactedText = "";
  if (body) {
    const spans = detectPii(body);
    count(spans);
    redactedText = redact(body, spans, config);
  }
  for (let i = 0; i < redactedTurns.length; i++) {
    const line = `${input.turns![i].speaker}: ${redactedTurns[i].trim()}`;
    redactedText = redactedText ? `${redactedText}\n${line}` : line;
  }
  return { redactedText, redactedTurns, redactedSubject, piiCounts: piiCounts as Map<string, number> | undefined };
}

/** `items` with every evidence list cleaned: the same objects (and list) where none held personal data. */
export function withCleanEvidence<T extends { evidence: string[] }>(
  items: T[],
  cleanAll: (xs: string[]) => string[],
): T[] {
  let out = items;
  for (let i = 0; i < items.length; i++) {
    const evidence = cleanAll(items[i].evidence);
    if (evidence === items[i].evidence) continue;
    if (out === items) out = items.slice();
    // A spread keeps the keys in their order, `evidence` replaced where it stands; only with personal data.
    out[i] = { ...items[i], evidence };
  }
  return out;
}
