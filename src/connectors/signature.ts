import { createHmac, timingSafeEqual } from "node:crypto";
import type { Connector, Verdict } from "./types.js";

/** HMAC of `parts` (joined as bytes) with `secret`, in the encoding the sender uses. */
export function hmac(
  algorithm: "sha1" | "sha256",
  secret: string,
  parts: Array<string | Uint8Array>,
  encoding: "hex" | "base64",
): string {
  const mac = createHmac(algorithm, secret);
  for (const p of parts) mac.update(p);
  return mac.digest(encoding);
}

/** Constant-time comparison of two signatures as sent (different lengths are simply unequal). */
export function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given.trim());
  return a.length === b.length && timingSafeEqual(a, b);
}

export const ok: Verdict = { ok: true };
export const bad = (detail: string): Verdict => ({ ok: false, reason: "bad_signature", detail });
export const stale = (detail: string): Verdict => ({ ok: false, reason: "stale", detail });

/** A delivery signed at `signedAt` is stale when further than `maxAgeSeconds` from now, either way (clock skew). */
export function checkAge(signedAt: Date | undefined, now: Date, maxAgeSeconds: number, what: string): Verdict {
  if (!signedAt || Number.isNaN(signedAt.getTime())) return bad(`${what} is missing or not a time`);
  const age = Math.abs(now.getTime() - signedAt.getTime()) / 1000;
  return age > maxAgeSeconds
    ? stale(`${what} is ${Math.round(age)} s from now; at most ${maxAgeSeconds} s is accepted`)
    : ok;
}

/** Unix seconds, or an ISO 8601 string, as a Date. */
export function timeOf(v: unknown): Date | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return new Date(v < 1e12 ? v * 1000 : v);
  if (typeof v === "string" && v.trim() !== "") {
    const n = Number(v);
    if (Number.isFinite(n) && /^\d+(\.\d+)?$/.test(v.trim())) return timeOf(n);
    const d = new Date(v.replace(/ UTC$/, "Z").replace(/^(\d{4}-\d\d-\d\d) /, "$1T"));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

/** How a sender that signs "timestamp + body" with a shared secret lays out its signature (Chatwoot, Zendesk). */
export interface TimestampedHmac {
  /** Header names as the sender's documentation spells them; read case-insensitively. */
  signatureHeader: string;
  timestampHeader: string;
  algorithm: "sha1" | "sha256";
  encoding: "hex" | "base64";
  /** Put before the digest in the signature header ("sha256="). */
  prefix?: string;
  /** The bytes the sender signs, in order, from its timestamp header and the raw body. */
  signed(timestamp: string, raw: Uint8Array): Array<string | Uint8Array>;
}

/**
 * A connector's `verify` for a sender that signs its timestamp with the body: a stale timestamp is
 * refused before the HMAC is computed, and the signature is compared in constant time.
 */
export function timestampedHmac(spec: TimestampedHmac): NonNullable<Connector["verify"]> {
  return (raw, header, secret, now, maxAgeSeconds) => {
    const timestamp = header(spec.timestampHeader.toLowerCase());
    const age = checkAge(timeOf(timestamp), now, maxAgeSeconds, spec.timestampHeader);
    if (!age.ok) return age;
    const expected =
      (spec.prefix ?? "") + hmac(spec.algorithm, secret, spec.signed(timestamp ?? "", raw), spec.encoding);
    return sameSignature(expected, header(spec.signatureHeader.toLowerCase()) ?? "")
      ? ok
      : bad(`${spec.signatureHeader} does not match the body and timestamp`);
  };
}
