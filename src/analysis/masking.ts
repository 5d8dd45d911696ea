import type { Lexicons } from "./lexicons.js";
import { luhnValid, mayHoldPii, redactText } from "./pii.js";

export type PiiRules = Lexicons["pii"];

/**
 * Nesting below which free JSON is masked. The API refuses JSON deeper than MAX_FREE_JSON_DEPTH (32),
 * so only a caller that skipped validation reaches this; what lies deeper is dropped, never stored
 * unmasked.
 */
export const MAX_MASK_DEPTH = 64;

/** Free text with personal data masked (the rules' kinds set to redact). */
export const maskText = (text: string, rules: PiiRules): string => (mayHoldPii(text) ? redactText(text, rules) : text);

/** Like maskText, keeping null and undefined as they are. */
export const maskOptional = <T extends string | null | undefined>(text: T, rules: PiiRules): T =>
  typeof text === "string" ? (maskText(text, rules) as T) : text;

/**
 * Whether a JSON number is a payment card number: 13 to 19 digits, an issuer's first digit (2 to 6)
 * and a valid Luhn checksum. The first-digit test keeps epoch milliseconds (13 digits starting with 1)
 * and most numeric ids out; a card number posted as a number is otherwise stored as sent.
 */
export function isCardNumber(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 2e12) return false;
  const digits = String(n);
  return digits.length >= 13 && digits.length <= 19 && digits[0] >= "2" && digits[0] <= "6" && luhnValid(digits);
}

/**
 * A copy of free JSON (metadata, event attributes) with personal data masked in every string, object
 * key included, and card numbers posted as numbers replaced by the card mask. Parts without personal
 * data are the same objects, so JSON without any is returned as it came.
 */
export function maskFreeJson<T>(value: T, rules: PiiRules): T {
  return maskValue(value, rules, 0) as T;
}

function maskValue(v: unknown, rules: PiiRules, depth: number): unknown {
  if (typeof v === "string") return maskText(v, rules);
  if (typeof v === "number") {
    const card = rules.get("card");
    return card?.redact && isCardNumber(v) ? card.mask : v;
  }
  if (v === null || typeof v !== "object") return v;
  if (depth >= MAX_MASK_DEPTH) return null;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const m = maskValue(v[i], rules, depth + 1);
      if (m !== v[i]) (out ??= v.slice())[i] = m;
    }
    return out ?? v;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  let changed = false;
  const masked: Array<[string, unknown]> = new Array(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const [k, value] = entries[i];
    const mk = maskText(k, rules);
    const mv = maskValue(value, rules, depth + 1);
    if (mk !== k || mv !== value) changed = true;
    masked[i] = [mk, mv];
  }
  if (!changed) return v;
  // Two keys can mask to the same text ("[CARD]"); neither value is lost.
  const seen = new Set<string>();
  for (const entry of masked) {
    let key = entry[0];
    for (let n = 2; seen.has(key); n++) key = `${entry[0]} (${n})`;
    seen.add(key);
    entry[0] = key;
  }
  // fromEntries defines properties, so a "__proto__" key stays a key.
  return Object.fromEntries(masked);
}
