import { z } from "zod";
import type { CustomerRef } from "../contracts/common.js";
import type { EventInput } from "../contracts/events.js";
import { invalid } from "../lib/domain-error.js";
import { zodFieldErrors } from "../lib/field-errors.js";
import { timeOf } from "./signature.js";

/** Reads a delivery against the parts of the sender's schema a connector uses, or refuses it naming the fields. */
export function readPayload<T extends z.ZodType>(schema: T, payload: unknown, sender: string): z.infer<T> {
  const parsed = schema.safeParse(payload);
  if (!parsed.success)
    throw invalid(`The ${sender} delivery is not one this connector can read.`, zodFieldErrors(parsed.error));
  return parsed.data;
}

/** An ISO 8601 instant from a sender's time (unix seconds, ms, or a date string), or undefined. */
export { timeOf } from "./signature.js";

/** Text of a sender's HTML message body (Intercom, Zendesk's html_body). */
export { emailBodyToText as htmlToText } from "../channels/email-body.js";

/** A sender's id, which its payloads give as a number or a string. */
export const senderIdSchema = z.union([z.number(), z.string()]).transform(String);

/**
 * A journey event of a sender's conversation or ticket: `name` is "<sender> <type>", the time the
 * sender's (unix seconds or a date string), left empty when unreadable so validation names the field.
 */
export function senderEvent(
  sender: string,
  e: {
    type: "conversation" | "ticket";
    externalId: string;
    at: unknown;
    status: string;
    customer: CustomerRef;
    attributes: Record<string, unknown>;
  },
): EventInput {
  return {
    source: sender,
    externalId: e.externalId,
    occurredAt: timeOf(e.at)?.toISOString() ?? "",
    type: e.type,
    name: `${sender} ${e.type}`,
    status: e.status,
    customer: e.customer,
    attributes: e.attributes,
  };
}
