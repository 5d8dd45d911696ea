import { z } from "zod";
import type { EventInput } from "../contracts/events.js";
import type { CustomerRef } from "../contracts/common.js";
import { readPayload, senderEvent, senderIdSchema } from "./read.js";
import { timeOf, timestampedHmac } from "./signature.js";
import type { Connector, Mapped } from "./types.js";

// Chatwoot's account webhooks (Settings → Integrations → Webhooks): one JSON object per event, with
// `event` naming it. Chatwoot signs deliveries with the webhook's secret: X-Chatwoot-Signature is
// "sha256=" and the hex HMAC-SHA256 of "<X-Chatwoot-Timestamp>.<raw body>".

const id = senderIdSchema;
const contact = z.looseObject({
  id: id.optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  phone_number: z.string().nullish(),
  identifier: z.string().nullish(),
  type: z.string().nullish(),
});
const conversation = z.looseObject({
  id,
  status: z.string().optional(),
  inbox_id: id.optional(),
  channel: z.string().optional(),
  created_at: z.union([z.number(), z.string()]).optional(),
  timestamp: z.union([z.number(), z.string()]).optional(),
  updated_at: z.union([z.number(), z.string()]).optional(),
  meta: z.looseObject({ sender: contact.optional(), assignee: contact.nullish() }).optional(),
  changed_attributes: z.unknown().optional(),
});
const envelope = z.looseObject({ event: z.string() });
const messageEvent = z.looseObject({
  event: z.string(),
  id,
  content: z.string().nullish(),
  created_at: z.union([z.number(), z.string()]),
  message_type: z.union([z.string(), z.number()]),
  private: z.boolean().optional(),
  sender: contact.nullish(),
  conversation,
  inbox: z.looseObject({ id: id.optional(), name: z.string().optional() }).optional(),
  attachments: z.array(z.unknown()).optional(),
});
const conversationEvent = conversation.extend({ event: z.string() });

/** Chatwoot's message types, by name or by the enum number older versions sent. */
const messageTypes: Record<string, string> = { "0": "incoming", "1": "outgoing", "2": "activity", "3": "template" };

export function customerOf(c: z.infer<typeof contact> | undefined): CustomerRef | undefined {
  if (!c) return undefined;
  const ref: CustomerRef = {};
  if (c.id) ref.senderId = { system: "chatwoot", id: `contact:${c.id}` };
  if (c.email) ref.email = c.email;
  if (c.phone_number) ref.phone = c.phone_number;
  if (c.identifier) ref.customerId = c.identifier;
  if (c.name) ref.name = c.name;
  return Object.keys(ref).length ? ref : undefined;
}

const iso = (v: unknown) => timeOf(v)?.toISOString();

function mapMessage(p: z.infer<typeof messageEvent>): Mapped {
  const out: Mapped = { event: p.event, interactions: [], events: [], unmapped: [] };
  const type = messageTypes[String(p.message_type)] ?? String(p.message_type);
  if (p.private) return { ...out, ignored: `message ${p.id} is a private note between agents` };
  if (type === "activity")
    return { ...out, ignored: `message ${p.id} is an activity line (status changes arrive as conversation events)` };
  if (!p.content?.trim()) {
    out.unmapped.push(
      `message ${p.id} has no text${p.attachments?.length ? ` (${p.attachments.length} attachment(s) left out)` : ""}`,
    );
    return out;
  }
  const speaker =
    type === "incoming" ? "customer" : p.sender?.type === "agent_bot" || type === "template" ? "bot" : "agent";
  const at = iso(p.created_at);
  const customer = customerOf(
    p.conversation.meta?.sender ?? (type === "incoming" ? (p.sender ?? undefined) : undefined),
  );
  if (!at) return { ...out, unmapped: [`message ${p.id} has no readable created_at`] };
  (out.messages ??= []).push({
    source: "chatwoot",
    conversationId: p.conversation.id,
    messageId: p.id,
    at,
    speaker,
    text: p.content,
    ...(customer ? { customer } : {}),
    ...(speaker === "agent" && p.sender?.id ? { agentId: `chatwoot:user:${p.sender.id}` } : {}),
    metadata: {
      chatwoot: {
        conversationId: p.conversation.id,
        inboxId: p.conversation.inbox_id ?? p.inbox?.id,
        channel: p.conversation.channel,
      },
    },
  });
  if (p.attachments?.length) out.unmapped.push(`message ${p.id}: ${p.attachments.length} attachment(s) left out`);
  return out;
}

/** Chatwoot statuses as journey statuses. */
const statuses: Record<string, string> = {
  open: "opened",
  resolved: "resolved",
  pending: "pending",
  snoozed: "snoozed",
};

function conversationEventOf(p: z.infer<typeof conversationEvent>, status: string, key: string): EventInput {
  return senderEvent("chatwoot", {
    type: "conversation",
    externalId: `conversation:${p.id}:${key}`,
    at: p.updated_at ?? p.timestamp ?? p.created_at,
    status,
    customer: customerOf(p.meta?.sender) ?? {},
    attributes: {
      conversationId: p.id,
      ...(p.inbox_id ? { inboxId: p.inbox_id } : {}),
      ...(p.channel ? { channel: p.channel } : {}),
    },
  });
}

function mapConversation(p: z.infer<typeof conversationEvent>): Mapped {
  const out: Mapped = { event: p.event, interactions: [], events: [], unmapped: [] };
  const when = String(p.updated_at ?? p.timestamp ?? p.created_at ?? "");
  if (p.event === "conversation_created") out.events.push(conversationEventOf(p, "opened", "created"));
  else if (p.event === "conversation_status_changed") {
    const status = statuses[p.status ?? ""] ?? p.status ?? "changed";
    out.events.push(conversationEventOf(p, status, `status:${p.status}:${when}`));
    // Resolving finalises the chat; reopening lets it grow again.
    const at = iso(p.updated_at ?? p.timestamp ?? p.created_at) ?? "";
    if (p.status === "resolved" || p.status === "open")
      (out.conversations ??= []).push({ conversationId: p.id, closed: p.status === "resolved", at });
  } else {
    // conversation_updated: only an assignment is a journey event.
    const changed = Array.isArray(p.changed_attributes) ? p.changed_attributes : [p.changed_attributes];
    const assigned = changed.some((c) => c && typeof c === "object" && "assignee_id" in c);
    if (!assigned || !p.meta?.assignee) return { ...out, ignored: "conversation_updated without a new assignee" };
    out.events.push({
      ...conversationEventOf(p, "assigned", `assigned:${p.meta.assignee.id}:${when}`),
      attributes: { conversationId: p.id, assigneeId: `chatwoot:user:${p.meta.assignee.id}` },
    });
  }
  return out;
}

const handled = new Set([
  "message_created",
  "conversation_created",
  "conversation_status_changed",
  "conversation_updated",
]);

export const chatwoot: Connector = {
  sender: "chatwoot",
  signatureHeader: "x-chatwoot-signature",
  verify: timestampedHmac({
    signatureHeader: "X-Chatwoot-Signature",
    timestampHeader: "X-Chatwoot-Timestamp",
    algorithm: "sha256",
    encoding: "hex",
    prefix: "sha256=",
    signed: (timestamp, raw) => [`${timestamp}.`, raw],
  }),
  map(payload) {
    const { event } = readPayload(envelope, payload, "chatwoot");
    if (!handled.has(event))
      return { event, interactions: [], events: [], unmapped: [], ignored: `event ${event} is not mapped` };
    if (event === "message_created") return mapMessage(readPayload(messageEvent, payload, "chatwoot"));
    return mapConversation(readPayload(conversationEvent, payload, "chatwoot"));
  },
};
