import { createHash } from "node:crypto";
import { interactionInputSchema, type InteractionInput } from "../contracts/interactions.js";
import { parseRawEmail, type ParsedEmail } from "../channels/raw-email.js";
import { invalid } from "../lib/domain-error.js";
import { fieldError } from "../lib/field-errors.js";
import { zodFieldErrors } from "../lib/field-errors.js";
import type { IngestService, ItemResult } from "./ingest/ingest-service.js";

export interface InboundEmailOptions {
  source: string;
  direction: "inbound" | "outbound";
  now: Date;
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
    threadId: mail.references[0] ?? mail.inReplyTo ?? mail.messageId,
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

/** Parses a raw MIME message and ingests it as an email interaction; idempotent on its Message-ID. */
export async function ingestRawEmail(
  ingest: IngestService,
  raw: Uint8Array,
  opts: InboundEmailOptions,
): Promise<InboundEmailResult> {
  let mail: ParsedEmail;
  try {
    mail = await parseRawEmail(raw);
  } catch (e) {
    throw invalid("The email could not be parsed.", [
      fieldError([], `is not an RFC 5322 message: ${(e as Error).message}`),
    ]);
  }
  const input = emailToInteraction(mail, raw, opts);
  if (!input) throw invalid("The email is invalid.", [fieldError(["body"], "the message has no text or HTML body")]);
  const parsed = interactionInputSchema.safeParse(input);
  if (!parsed.success) throw invalid("The email is invalid.", zodFieldErrors(parsed.error));
  const result = await ingest.ingestOne("interaction", parsed.data);
  return { result, bodyPart: mail.bodyPart!, attachments: mail.attachments.length };
}
