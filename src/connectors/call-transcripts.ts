import { z } from "zod";
import type { CustomerRef } from "../contracts/common.js";
import type { InteractionInput, TurnInput } from "../contracts/interactions.js";
import { readPayload } from "./read.js";
import type { Connector, DeliveryContext, Mapped } from "./types.js";

// Call-analytics transcripts. Neither output names the call's start or the customer, so those come
// from the query (`occurredAt`, `customerPhone`, `customerEmail`, `customerId`); neither is signed.

/** The customer and the call's start, from the delivery's query. */
function callContext(ctx: DeliveryContext): { customer: CustomerRef; occurredAt?: string; unmapped: string[] } {
  const customer: CustomerRef = {};
  if (ctx.query.customerPhone) customer.phone = ctx.query.customerPhone;
  if (ctx.query.customerEmail) customer.email = ctx.query.customerEmail;
  if (ctx.query.customerId) customer.customerId = ctx.query.customerId;
  return {
    customer,
    occurredAt: ctx.query.occurredAt,
    unmapped: ctx.query.occurredAt ? [] : ["the transcript has no start time: pass ?occurredAt="],
  };
}

const offsetAt = (start: string | undefined, ms: number) =>
  start && !Number.isNaN(Date.parse(start)) ? new Date(Date.parse(start) + ms).toISOString() : undefined;

// Amazon Connect Contact Lens post-call analytics output: Participants with their roles, and the
// Transcript's segments with BeginOffsetMillis from the start of the call.
const contactLens = z.looseObject({
  Channel: z.string().optional(),
  LanguageCode: z.string().optional(),
  Participants: z.array(z.looseObject({ ParticipantId: z.string(), ParticipantRole: z.string() })).min(1),
  Transcript: z.array(
    z.looseObject({
      ParticipantId: z.string(),
      Id: z.string().optional(),
      Content: z.string(),
      BeginOffsetMillis: z.number().optional(),
      Sentiment: z.string().optional(),
    }),
  ),
  ConversationCharacteristics: z.looseObject({ TotalConversationDurationMillis: z.number().optional() }).optional(),
  CustomerMetadata: z.looseObject({ ContactId: z.string(), InstanceId: z.string().optional() }),
});

const roleSpeaker = (role: string | undefined): TurnInput["speaker"] =>
  /customer/i.test(role ?? "") ? "customer" : /bot|system|ivr/i.test(role ?? "") ? "bot" : "agent";

export const amazonConnect: Connector = {
  sender: "amazon-connect",
  map(payload, ctx) {
    const p = readPayload(contactLens, payload, "amazon-connect");
    const { customer, occurredAt, unmapped } = callContext(ctx);
    const roles = new Map(p.Participants.map((x) => [x.ParticipantId, x.ParticipantRole]));
    const turns = p.Transcript.filter((s) => s.Content.trim()).map((s) => {
      const at = s.BeginOffsetMillis !== undefined ? offsetAt(occurredAt, s.BeginOffsetMillis) : undefined;
      return { speaker: roleSpeaker(roles.get(s.ParticipantId)), text: s.Content, ...(at ? { at } : {}) };
    });
    const out: Mapped = { event: "contact-lens", interactions: [], events: [], unmapped };
    if (!turns.length) return { ...out, unmapped: [...unmapped, "the transcript has no segments with text"] };
    const duration = p.ConversationCharacteristics?.TotalConversationDurationMillis;
    out.interactions.push({
      source: "amazon-connect",
      externalId: `contact:${p.CustomerMetadata.ContactId}`,
      occurredAt: occurredAt ?? "",
      channel: "call_note",
      turns,
      ...(duration !== undefined ? { durationSeconds: Math.round(duration / 1000) } : {}),
      customer,
      metadata: {
        amazonConnect: {
          contactId: p.CustomerMetadata.ContactId,
          instanceId: p.CustomerMetadata.InstanceId,
          language: p.LanguageCode,
        },
      },
    } as InteractionInput);
    return out;
  },
};

// Azure AI Speech batch transcription output (the call-center transcription flow): recognizedPhrases
// with a diarized `speaker` or a stereo `channel`, ISO 8601 offsets, the best reading in nBest[0].
const azure = z.looseObject({
  source: z.string().optional(),
  timestamp: z.string().optional(),
  durationInTicks: z.number().optional(),
  recognizedPhrases: z.array(
    z.looseObject({
      recognitionStatus: z.string().optional(),
      channel: z.number().optional(),
      speaker: z.number().optional(),
      offsetInTicks: z.number().optional(),
      nBest: z.array(z.looseObject({ display: z.string().optional(), lexical: z.string().optional() })).min(1),
    }),
  ),
});

export const azureSpeech: Connector = {
  sender: "azure-speech",
  map(payload, ctx) {
    const p = readPayload(azure, payload, "azure-speech");
    const { customer, occurredAt, unmapped } = callContext(ctx);
    const phrases = p.recognizedPhrases.filter(
      (r) =>
        (r.recognitionStatus ?? "Success") === "Success" && (r.nBest[0].display ?? r.nBest[0].lexical ?? "").trim(),
    );
    const who = (r: (typeof phrases)[number]) => r.speaker ?? r.channel ?? 0;
    // The transcript names speakers by number only; agents usually speak first (the greeting).
    const agent =
      ctx.query.agentSpeaker !== undefined ? Number(ctx.query.agentSpeaker) : phrases.length ? who(phrases[0]) : 0;
    if (ctx.query.agentSpeaker === undefined)
      unmapped.push(
        `speaker roles are not in the transcript: speaker ${agent}, who spoke first, was taken as the agent (pass ?agentSpeaker=)`,
      );
    const start = occurredAt ?? p.timestamp;
    const turns = phrases.map((r) => {
      const at = r.offsetInTicks !== undefined ? offsetAt(start, r.offsetInTicks / 10_000) : undefined;
      return {
        speaker: who(r) === agent ? ("agent" as const) : ("customer" as const),
        text: (r.nBest[0].display ?? r.nBest[0].lexical)!,
        ...(at ? { at } : {}),
      };
    });
    const out: Mapped = {
      event: "batch-transcription",
      interactions: [],
      events: [],
      unmapped: occurredAt || !p.timestamp ? unmapped : unmapped.filter((u) => !u.includes("start time")),
    };
    if (!turns.length) return { ...out, unmapped: [...out.unmapped, "the transcript has no recognised phrases"] };
    const id = ctx.query.callId ?? p.source;
    if (!id) return { ...out, unmapped: [...out.unmapped, "the transcript names no source recording: pass ?callId="] };
    out.interactions.push({
      source: "azure-speech",
      externalId: id,
      occurredAt: start ?? "",
      channel: "call_note",
      turns,
      ...(p.durationInTicks !== undefined ? { durationSeconds: Math.round(p.durationInTicks / 1e7) } : {}),
      customer,
      metadata: { azureSpeech: { source: p.source } },
    } as InteractionInput);
    return out;
  },
};
