import { createHash } from "node:crypto";
import { interactionInputSchema, type InteractionInput } from "../contracts/interactions.js";
import { parseRawEmail, type ParsedEmail } from "../channels/raw-email.js";
import { EMAIL_BODY_MAX_CHARS } from "../channels/email-body.js";
import { invalid } from "../lib/domain-error.js";
import { fieldError } from "../lib/field-errors.js";
import { zodFieldErrors } from "../lib/field-errors.js";
import type { IngestService, ItemResult } from "./ingest/ingest-service.js";
import type { Db } from "../db/client.js";
import { joinThread, resolveThread } from "./email-threads.js";

export interface InboundEmailOptions {
  source: string;
  direction: "inbound" | "outbound";
  now: Date;
  /** Lines the raw message may hold (EMAIL_MAX_LINES): the MIME parser's time grows with them. */
  maxLines: number;
}

/** Line feeds in `raw`, counted until one past `max`. */
function linesOver(raw: Uint8Array, max: number): number | undefined {
  let n = 0;
  for (let i = raw.indexOf(10); i >= 0; i = raw.indexOf(10, i + 1)) if (++n > max) return n;
  return undefined;
}

export interface InboundEmailResult {
  result: ItemResult & { outcome: "created" | "existing" };
  bodyPart: "text" | "html";
  attachments: number;
}

/**
 * The interaction a parsed message becomes. The externalId is the Message-ID (a message without one is
 * named by the hash of its bytes, so a redelivery is still the same record); the thread is the first
 * message of References, else In-Reply-To, else the message itself.
 */
export function emailToInteraction(
  mail: ParsedEmail,
  raw: Uint8Array,
  opts: InboundEmailOptions,
  threadId: string | undefined = mail.references[0] ?? mail.inReplyTo ?? mail.messageId,
): InteractionInput | undefined {
  if (!mail.body) return undefined;
  const customer = opts.direction === "inbound" ? mail.from : mail.to[0];
  const externalId = mail.messageId ?? `sha256:${createHash("sha256").update(raw).digest("hex")}`;
  const input = {
    source: opts.source,
    externalId,
    occurredAt: (mail.date ?? opts.now).toISOString(),
    channel: "email" as const,
    ...(mail.subject ? { subject: mail.subject } : {}),
    body: mail.body,
    ...(mail.from ? { from: mail.from.address } : {}),
    ...(mail.to.length ? { to: mail.to.map((t) => t.address).slice(0, 100) } : {}),
    threadId,
    ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
    direction: opts.direction,
    ...(customer ? { customer: { email: customer.address, ...(customer.name ? { name: customer.name } : {}) } } : {}),
    metadata: {
      email: {
        bodyPart: mail.bodyPart,
        references: mail.references.slice(0, 100),
        attachments: mail.attachments.slice(0, 100),
      },
    },
  };
  return input as InteractionInput;
}

/**
 * Parses a raw MIME message and ingests it as an email interaction, idempotent on its Message-ID. It
 * joins its thread (src/services/email-threads.ts): an ancestor's stored thread, else its References'
 * root; replies stored before it move into its thread.
 */
export async function ingestRawEmail(
  { ingest, db }: { ingest: IngestService; db: Db },
  raw: Uint8Array,
  opts: InboundEmailOptions,
): Promise<InboundEmailResult> {
  if (linesOver(raw, opts.maxLines) !== undefined)
    throw invalid("The email has too many lines.", [
      fieldError(["body"], `the message holds more than ${opts.maxLines} lines (EMAIL_MAX_LINES); it was not read`),
    ]);
  let mail: ParsedEmail;
  try {
    mail = await parseRawEmail(raw);
  } catch (e) {
    throw invalid("The email could not be parsed.", [
      fieldError([], `is not an RFC 5322 message: ${(e as Error).message}`),
    ]);
  }
  const ids = { messageId: mail.messageId, inReplyTo: mail.inReplyTo, references: mail.references };
  const thread = await resolveThread(db, opts.source, ids);
  const input = emailToInteraction(mail, raw, opts, thread);
  if (!input && mail.oversized.length)
    throw invalid("The email's body is too long.", [
      fieldError(
        ["body"],
        `the message's ${mail.oversized.map((o) => `${o.part} part holds ${o.chars} characters`).join(" and its ")}; at most ${EMAIL_BODY_MAX_CHARS} are read`,
      ),
    ]);
  if (!input) throw invalid("The email is invalid.", [fieldError(["body"], "the message has no text or HTML body")]);
  const parsed = interactionInputSchema.safeParse(input);
  if (!parsed.success) throw invalid("The email is invalid.", zodFieldErrors(parsed.error));
  const result = await ingest.ingestOne("interaction", parsed.data);
  if (result.outcome === "created" && thread) await joinThread(db, opts.source, ids, thread);
  return { result, bodyPart: mail.bodyPart!, attachments: mail.attachments.length };
}
