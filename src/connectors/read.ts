import type { z } from "zod";
import { invalid } from "../lib/domain-error.js";
import { zodFieldErrors } from "../lib/field-errors.js";

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
