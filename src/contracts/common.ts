import { z } from "zod";
import { INSTANT_RANGE_MESSAGE, instantInRange } from "../lib/time-window.js";

// Schemas shared by the interaction and event contracts. They describe the API contract and are not
// the database schema; validation, the handlers' types and the OpenAPI document all come from them.

/**
 * Ids and identifiers must read back from the database as they were written: SQLite returns text only
 * up to a NUL, and stores a lone UTF-16 surrogate as U+FFFD. An id holding either would never match
 * itself again, so a retry would miss the stored record, and inserting it twice broke the unique
 * index (a 500). Such ids are refused.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is one of the two things refused.
const UNSTORABLE = /[\u0000\p{Cs}]/gu;

const nonEmpty = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `must be at most ${max} characters`);

/** A non-empty id or identifier, trimmed, at most `max` characters, refused when it cannot be stored as written. */
export const trimmed = (max: number) =>
  nonEmpty(max).refine(
    (v) => v.search(UNSTORABLE) < 0,
    "must not contain a NUL character (U+0000) or an unpaired surrogate",
  );

/**
 * Non-empty free text, trimmed, at most `max` characters. A NUL or an unpaired surrogate becomes
 * U+FFFD, so the text stored and analysed is the text read back; refusing a transcript over a stray
 * control byte would lose it.
 */
export const freeText = (max: number) => nonEmpty(max).overwrite((v) => v.replace(UNSTORABLE, "\uFFFD"));

export const isoInstant = z.iso
  .datetime({ offset: true, message: "must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T10:15:00Z" })
  .meta({ example: "2026-03-01T10:15:00Z" });

/**
 * When a record happened: an ISO instant inside the range every time window may name (1970–2100,
 * src/lib/time-window.ts), so every stored record can be found by some window and no bucket or trend
 * is sized by a typo such as the year 9999.
 */
// Zod runs the refinement after a failed format check too; an unparsable value is left to that check's one error.
export const occurredAtSchema = isoInstant.refine(
  (s) => Number.isNaN(Date.parse(s)) || instantInRange(new Date(s)),
  INSTANT_RANGE_MESSAGE,
);

export const handleSchema = z
  .object({
    platform: trimmed(40).meta({ example: "twitter" }),
    value: trimmed(200).meta({ example: "@maria_g" }),
  })
  .meta({ description: "A social handle on one platform." });

export const customerRefSchema = z
  .object({
    customerId: trimmed(200).optional().meta({ description: "The CRM's customer id." }),
    email: z.email("must be an email address").max(320).optional(),
    phone: trimmed(40).optional().meta({ description: "Any common format; normalised to E.164." }),
    handle: handleSchema.optional(),
    deviceId: trimmed(200).optional().meta({ description: "Device or cookie id." }),
    accountNumber: trimmed(64).optional(),
    senderId: z
      .object({ system: trimmed(40).meta({ example: "chatwoot" }), id: trimmed(200).meta({ example: "contact-4711" }) })
      .optional()
      .meta({ description: "The person's id in a connected system (a helpdesk contact, a platform user id)." }),
    name: trimmed(200).optional().meta({ description: "Display name; not an identifier." }),
  })
  .meta({ description: "Identifiers of the customer: any subset, at least one." });

export type CustomerRef = z.infer<typeof customerRefSchema>;

/** How deep free JSON (metadata, attributes) may nest; far beyond what any posting system sends. */
export const MAX_FREE_JSON_DEPTH = 32;

/**
 * Whether `value` nests at most `max` objects or arrays deep, walked without recursion. JSON.parse
 * accepts any depth, but serialising it again to store it recurses and overflows the stack near
 * 5,000 levels: that was a 500 instead of a 422.
 */
function nestsAtMost(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== "object") continue;
    if (depth > max) return false;
    for (const child of Array.isArray(v) ? v : Object.values(v))
      if (child !== null && typeof child === "object") stack.push([child, depth + 1]);
  }
  return true;
}

/** A free JSON object kept with a record as it was sent, within MAX_FREE_JSON_DEPTH levels. */
export const freeJsonObject = (description: string) =>
  z
    .record(z.string(), z.unknown())
    .refine(
      (v) => nestsAtMost(v, MAX_FREE_JSON_DEPTH),
      `must nest at most ${MAX_FREE_JSON_DEPTH} objects or arrays deep`,
    )
    .meta({ description });

export const metadataSchema = freeJsonObject("Free JSON kept with the record.");

export const commonFields = {
  source: trimmed(100).meta({ description: "The posting system (e.g. zendesk, crm, social-feed).", example: "crm" }),
  externalId: trimmed(200).meta({
    description: "The record's id in the posting system; (source, externalId) is unique.",
  }),
  occurredAt: occurredAtSchema,
  customer: customerRefSchema.optional(),
  metadata: metadataSchema.optional(),
};
