import { z } from "zod";
import type { CustomerRef } from "../contracts/common.js";
import type { InteractionInput, TurnInput } from "../contracts/interactions.js";
import { readPayload } from "./read.js";
import { timeOf } from "./signature.js";
import type { Connector, Mapped } from "./types.js";

// IETF vCon containers (draft-ietf-vcon-vcon-core): `parties` (tel, mailto, name, role), `dialog`
// (text messages, recordings), `analysis` (a transcript of a recording, among others). A vCon is
// signed, when it is, as a JWS around the whole object, which this connector does not unwrap; the
// Earshot key authenticates the poster.

const party = z.looseObject({
  tel: z.string().optional(),
  mailto: z.string().optional(),
  name: z.string().optional(),
  role: z.string().optional(),
  uuid: z.string().optional(),
});
const dialog = z.looseObject({
  type: z.string(),
  start: z.string().optional(),
  duration: z.number().optional(),
  parties: z.union([z.number(), z.array(z.union([z.number(), z.array(z.number())]))]).optional(),
  originator: z.number().optional(),
  mimetype: z.string().optional(),
  body: z.unknown().optional(),
  encoding: z.string().optional(),
});
const analysis = z.looseObject({
  type: z.string(),
  dialog: z.union([z.number(), z.array(z.number())]).optional(),
  body: z.unknown().optional(),
  encoding: z.string().optional(),
  vendor: z.string().optional(),
});
const vcon = z.looseObject({
  uuid: z.string(),
  created_at: z.string().optional(),
  subject: z.string().optional(),
  parties: z.array(party).min(1, "must name at least one party"),
  dialog: z.array(dialog).default([]),
  analysis: z.array(analysis).default([]),
});

type Party = z.infer<typeof party>;

const isCustomer = (p: Party) => /customer|caller|client|consumer/i.test(p.role ?? "");
const isBotRole = (p: Party | undefined) => /bot|ivr|virtual/i.test(p?.role ?? "");

function refOf(p: Party): CustomerRef {
  const ref: CustomerRef = {};
  if (p.mailto) ref.email = p.mailto.replace(/^mailto:/i, "");
  if (p.tel) ref.phone = p.tel.replace(/^tel:/i, "");
  if (p.uuid) ref.senderId = { system: "vcon", id: `party:${p.uuid}` };
  if (p.name) ref.name = p.name;
  return ref;
}

/** A dialog's text: plain, or base64url-encoded. */
function textOf(body: unknown, encoding: string | undefined): string | undefined {
  if (typeof body !== "string") return undefined;
  return encoding === "base64url" ? Buffer.from(body, "base64url").toString("utf8") : body;
}

/** A transcript analysis body: plain text, or JSON segments with a speaker/party and text. */
function transcriptTurns(
  a: z.infer<typeof analysis>,
  speakerOf: (i: number | undefined) => TurnInput["speaker"],
): { turns?: TurnInput[]; text?: string } {
  let body: unknown = a.body;
  if (typeof body === "string" && a.encoding === "json") {
    try {
      body = JSON.parse(body);
    } catch {
      return {};
    }
  } else if (typeof body === "string") return { text: textOf(body, a.encoding) };
  const segments = Array.isArray(body)
    ? body
    : Array.isArray((body as { segments?: unknown })?.segments)
      ? (body as { segments: unknown[] }).segments
      : undefined;
  if (!segments)
    return typeof (body as { transcript?: unknown })?.transcript === "string"
      ? { text: (body as { transcript: string }).transcript }
      : {};
  const turns = segments.flatMap((s) => {
    const seg = s as { text?: unknown; party?: unknown; speaker?: unknown };
    if (typeof seg.text !== "string" || !seg.text.trim()) return [];
    return [
      {
        speaker: speakerOf(
          typeof seg.party === "number" ? seg.party : typeof seg.speaker === "number" ? seg.speaker : undefined,
        ),
        text: seg.text,
      },
    ];
  });
  return turns.length ? { turns } : {};
}

export const vconConnector: Connector = {
  sender: "vcon",
  map(payload) {
    const v = readPayload(vcon, payload, "vcon");
    const out: Mapped = { event: "vcon", interactions: [], events: [], unmapped: [] };
    const customerIndex = Math.max(0, v.parties.findIndex(isCustomer));
    const customer = refOf(v.parties[customerIndex]);
    // Every party but the customer speaks for the business: a bot by its role, else an agent.
    const speakerOf = (i: number | undefined): TurnInput["speaker"] =>
      i === undefined || i === customerIndex ? "customer" : isBotRole(v.parties[i]) ? "bot" : "agent";
    const occurredAt = timeOf(v.dialog[0]?.start ?? v.created_at)?.toISOString() ?? "";

    const turns: TurnInput[] = [];
    for (const [i, d] of v.dialog.entries()) {
      if (d.type === "text") {
        const text = textOf(d.body, d.encoding);
        if (!text?.trim()) {
          out.unmapped.push(`dialog ${i} has no text`);
          continue;
        }
        const from =
          d.originator ??
          (Array.isArray(d.parties) ? (typeof d.parties[0] === "number" ? d.parties[0] : undefined) : d.parties);
        const at = timeOf(d.start)?.toISOString();
        turns.push({ speaker: speakerOf(from), text, ...(at ? { at } : {}) });
      } else if (d.type === "recording") {
        const transcript = v.analysis.find(
          (a) => a.type === "transcript" && (a.dialog === i || (Array.isArray(a.dialog) && a.dialog.includes(i))),
        );
        const t = transcript ? transcriptTurns(transcript, speakerOf) : {};
        if (!t.turns && !t.text?.trim()) {
          out.unmapped.push(`dialog ${i} is a recording without a readable transcript analysis`);
          continue;
        }
        out.interactions.push({
          source: "vcon",
          externalId: `${v.uuid}:dialog:${i}`,
          occurredAt: timeOf(d.start)?.toISOString() ?? occurredAt,
          channel: "call_note",
          ...(t.turns ? { turns: t.turns } : { text: t.text }),
          ...(d.duration !== undefined ? { durationSeconds: d.duration } : {}),
          customer,
          metadata: {
            vcon: { uuid: v.uuid, dialog: i, ...(transcript?.vendor ? { transcriptVendor: transcript.vendor } : {}) },
          },
        } as InteractionInput);
      } else out.unmapped.push(`dialog ${i} of type ${d.type} is not mapped`);
    }
    if (turns.length) {
      out.interactions.push({
        source: "vcon",
        externalId: `${v.uuid}:text`,
        occurredAt,
        channel: "chat",
        turns,
        customer,
        metadata: { vcon: { uuid: v.uuid, ...(v.subject ? { subject: v.subject } : {}) } },
      } as InteractionInput);
    }
    return out;
  },
};
