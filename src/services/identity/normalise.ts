import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";
import { foldWidth } from "../../analysis/pii-locales.js";
import type { IdentityKind } from "../../db/schema/index.js";
import type { CustomerRef } from "../../contracts/common.js";

export interface Identifier {
  kind: IdentityKind;
  /** Normalised value: the form stored and matched. */
  value: string;
}

export class IdentifierError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Order in which identifiers decide which customer a record belongs to when they disagree:
 * the CRM's own id first, device ids (shared terminals, cookies) last.
 */
export const identifierPriority: IdentityKind[] = [
  "customer_id",
  "account_number",
  "email",
  "phone",
  "handle",
  "sender_id",
  "device_id",
];

export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * E.164 (`+447700900123`); numbers without a country code are read in `defaultRegion`. Full-width
 * digits and punctuation (`１３８－１２３４－５６７８`, as Chinese and Korean keyboards type them) are
 * read as ASCII, and a leading `00` (the international prefix of China, Spain and most of Europe) as
 * `+` where the default region's own prefix differs (the US dials 011).
 */
export function normalisePhone(raw: string, defaultRegion: CountryCode): string {
  const written = foldWidth(raw).trim();
  let parsed = parsePhoneNumberFromString(written, defaultRegion);
  if (!parsed?.isPossible() && /^00[1-9]/.test(written)) parsed = parsePhoneNumberFromString(`+${written.slice(2)}`);
  if (!parsed?.isPossible()) throw new IdentifierError("phone", `"${raw}" is not a phone number`);
  return parsed.number;
}

/** `platform:handle`, both lower-cased, without a leading @ (handles are case-insensitive on the big platforms). */
export function normaliseHandle(platform: string, value: string): string {
  return `${platform.trim().toLowerCase()}:${value.trim().replace(/^@+/, "").toLowerCase()}`;
}

/** `system:id` with the system lower-cased: a person's id in a connected system (a Chatwoot contact, a Zendesk user). */
export function normaliseSenderId(system: string, id: string): string {
  return `${system.trim().toLowerCase()}:${id.trim()}`;
}

/** Account numbers and IBANs: upper case, spaces and dashes removed. */
export function normaliseAccountNumber(raw: string): string {
  return raw.replace(/[\s-]+/g, "").toUpperCase();
}

export function identifiersOf(ref: CustomerRef | undefined, defaultRegion: CountryCode): Identifier[] {
  if (!ref) return [];
  const out: Identifier[] = [];
  if (ref.customerId) out.push({ kind: "customer_id", value: ref.customerId.trim() });
  if (ref.accountNumber) out.push({ kind: "account_number", value: normaliseAccountNumber(ref.accountNumber) });
  if (ref.email) out.push({ kind: "email", value: normaliseEmail(ref.email) });
  if (ref.phone) out.push({ kind: "phone", value: normalisePhone(ref.phone, defaultRegion) });
  if (ref.handle) out.push({ kind: "handle", value: normaliseHandle(ref.handle.platform, ref.handle.value) });
  if (ref.deviceId) out.push({ kind: "device_id", value: ref.deviceId.trim() });
  if (ref.senderId) out.push({ kind: "sender_id", value: normaliseSenderId(ref.senderId.system, ref.senderId.id) });
  return out;
}
