import { createHash } from "node:crypto";

/**
 * The content hash of a record as sent, after validation (trimmed strings, defaults filled in): SHA-256
 * of its canonical JSON, in which object keys are sorted, absent fields and `undefined` are left out,
 * and `occurredAt` is written in one form (`…T10:00:00Z`, `…T10:00:00.000Z` and `…T11:00:00+01:00`
 * name one instant). Two bodies that mean the same record hash alike however their keys are ordered
 * or spaced; any other difference, however small, makes another hash. Computed before masking, so a
 * changed card number in a text is a change too.
 */
export function contentHash(input: { occurredAt: string }): string {
  const normal = { ...input, occurredAt: new Date(input.occurredAt).toISOString() };
  return createHash("sha256").update(canonicalJson(normal)).digest("base64url");
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}
