import PostalMime from "postal-mime";
import { EMAIL_BODY_MAX_CHARS, splitEmailBody, type EmailParts } from "./email-body.js";

/** A MIME message as the parts Earshot stores: headers it uses, the chosen body, attachments listed. */
export interface ParsedEmail {
  messageId?: string;
  date?: Date;
  subject?: string;
  from?: { address: string; name?: string };
  to: Array<{ address: string; name?: string }>;
  inReplyTo?: string;
  references: string[];
  /** The body part that holds the reply, and the body itself (text, or HTML converted on ingest). */
  bodyPart?: "text" | "html";
  body?: string;
  /** Body parts left out for their length (over EMAIL_BODY_MAX_CHARS), with it. */
  oversized: Array<{ part: "text" | "html"; chars: number }>;
  /** Attachments are not stored: their names, types and sizes are. */
  attachments: Array<{ filename?: string; mimeType: string; size: number }>;
}

const ids = (v: string | undefined) => (v ?? "").match(/<[^<>\s]+>/g)?.map((id) => id.slice(1, -1)) ?? [];

type Address = { address?: string; name?: string; group?: Address[] };
const mailboxes = (list: Address[] | undefined): Array<{ address: string; name?: string }> =>
  (list ?? []).flatMap((a) =>
    a.group ? mailboxes(a.group) : a.address ? [{ address: a.address, ...(a.name ? { name: a.name } : {}) }] : [],
  );

/** A body part worth splitting: not blank, and no longer than the email contract allows. */
const candidate = (body: string | undefined): body is string => !!body?.trim() && body.length <= EMAIL_BODY_MAX_CHARS;

/**
 * Which body holds the reply: the text part, unless its new text is empty while the HTML's is not (a
 * client that put only the quoted history in the text alternative, or an HTML-only reply). A part
 * over EMAIL_BODY_MAX_CHARS is not split (the split's work grows with it) and not chosen.
 */
export function chooseBody(
  text: string | undefined,
  html: string | undefined,
): { part: "text" | "html"; body: string; split: EmailParts } | undefined {
  const t = candidate(text) ? { part: "text" as const, body: text, split: splitEmailBody(text) } : undefined;
  if (t?.split.text) return t;
  const h = candidate(html) ? { part: "html" as const, body: html, split: splitEmailBody(html) } : undefined;
  if (h && (h.split.text || !t)) return h;
  return t;
}

/**
 * Parses a raw RFC 5322 / MIME message with postal-mime: charsets, quoted-printable, base64 and
 * multipart are its work. Attachments are listed, never kept.
 */
export async function parseRawEmail(raw: Uint8Array): Promise<ParsedEmail> {
  const mail = await PostalMime.parse(raw, { attachmentEncoding: "arraybuffer" });
  const date = mail.date ? new Date(mail.date) : undefined;
  const chosen = chooseBody(mail.text, mail.html);
  const from = mailboxes(mail.from ? [mail.from as Address] : [])[0];
  return {
    messageId: ids(mail.messageId)[0] ?? (mail.messageId?.trim() || undefined),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    subject: mail.subject?.trim() || undefined,
    from,
    to: mailboxes(mail.to as Address[] | undefined),
    inReplyTo: ids(mail.inReplyTo)[0],
    references: ids(mail.references),
    bodyPart: chosen?.part,
    body: chosen?.body,
    oversized: (["text", "html"] as const).flatMap((part) => {
      const chars = mail[part]?.length ?? 0;
      return chars > EMAIL_BODY_MAX_CHARS ? [{ part, chars }] : [];
    }),
    attachments: mail.attachments.map((a) => ({
      ...(a.filename ? { filename: a.filename } : {}),
      mimeType: a.mimeType,
      size: typeof a.content === "string" ? a.content.length : (a.content as ArrayBuffer).byteLength,
    })),
  };
}
