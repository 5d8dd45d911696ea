import { z } from "zod";
import type { CustomerRef } from "../contracts/common.js";
import type { TurnInput } from "../contracts/interactions.js";
import type { ChatMessage } from "../services/conversations/grow.js";
import { htmlToText, readPayload, senderEvent, senderIdSchema } from "./read.js";
import { bad, checkAge, hmac, sameSignature, timeOf } from "./signature.js";
import type { Connector, Mapped } from "./types.js";

// Intercom's webhook notifications (topics `conversation.*`): a `notification_event` whose
// `data.item` is the conversation, with its first message in `source` and what was added in
// `conversation_parts`. Intercom signs with the app's client secret: X-Hub-Signature is "sha1=" and
// the hex HMAC-SHA1 of the raw body. Bodies are HTML.

const id = senderIdSchema;
const author = z.looseObject({
  type: z.string(),
  id: id.optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
});
const part = z.looseObject({
  id,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: z.union([z.number(), z.string()]),
  author: author.optional(),
  assigned_to: z.looseObject({ id: id.optional() }).nullish(),
});
const notification = z.looseObject({
  type: z.literal("notification_event", "must be notification_event"),
  id: z.string(),
  topic: z.string(),
  created_at: z.union([z.number(), z.string()]).optional(),
  data: z.looseObject({
    item: z.looseObject({
      type: z.string(),
      id,
      created_at: z.union([z.number(), z.string()]).optional(),
      source: z
        .looseObject({
          id: id.optional(),
          body: z.string().nullish(),
          subject: z.string().nullish(),
          author: author.optional(),
        })
        .nullish(),
      contacts: z
        .looseObject({
          contacts: z.array(z.looseObject({ id: id.optional(), external_id: z.string().nullish() })).default([]),
        })
        .optional(),
      conversation_parts: z.looseObject({ conversation_parts: z.array(part).default([]) }).optional(),
    }),
  }),
});

type Item = z.infer<typeof notification>["data"]["item"];

const customerAuthor = (type: string) => type === "user" || type === "lead" || type === "contact";
const speakerOf = (type: string): TurnInput["speaker"] =>
  customerAuthor(type) ? "customer" : type === "bot" ? "bot" : "agent";

function customerOf(item: Item): CustomerRef {
  const ref: CustomerRef = {};
  const contact = item.contacts?.contacts[0];
  const a = item.source?.author && customerAuthor(item.source.author.type) ? item.source.author : undefined;
  if (contact?.id ?? a?.id) ref.senderId = { system: "intercom", id: `contact:${contact?.id ?? a?.id}` };
  if (contact?.external_id) ref.customerId = contact.external_id;
  if (a?.email) ref.email = a.email;
  if (a?.name) ref.name = a.name;
  return ref;
}

const journey: Record<string, string> = {
  open: "opened",
  close: "resolved",
  assignment: "assigned",
  snoozed: "snoozed",
};

function message(
  item: Item,
  messageId: string,
  body: string,
  at: unknown,
  who: z.infer<typeof author> | undefined,
  customer: CustomerRef,
): ChatMessage {
  const speaker = speakerOf(who?.type ?? "user");
  return {
    source: "intercom",
    conversationId: item.id,
    messageId,
    at: timeOf(at)?.toISOString() ?? "",
    speaker,
    text: htmlToText(body).trim(),
    customer,
    ...(speaker === "agent" && who?.id ? { agentId: `intercom:admin:${who.id}` } : {}),
    metadata: { intercom: { conversationId: item.id } },
  };
}

export const intercom: Connector = {
  sender: "intercom",
  signatureHeader: "x-hub-signature",
  verify(raw, header, secret, now, maxAgeSeconds, payload) {
    const expected = "sha1=" + hmac("sha1", secret, [raw], "hex");
    if (!sameSignature(expected, header("x-hub-signature") ?? ""))
      return bad("X-Hub-Signature does not match the body");
    // Intercom sends no timestamp header; the notification's own created_at bounds a replay.
    const createdAt =
      payload && typeof payload === "object" ? (payload as { created_at?: unknown }).created_at : undefined;
    return checkAge(timeOf(createdAt), now, maxAgeSeconds, "the notification's created_at");
  },
  map(payload) {
    const n = readPayload(notification, payload, "intercom");
    const out: Mapped = { event: n.topic, interactions: [], events: [], unmapped: [] };
    const item = n.data.item;
    if (!n.topic.startsWith("conversation.") || item.type !== "conversation")
      return { ...out, ignored: `topic ${n.topic} is not mapped` };
    const customer = customerOf(item);
    if (n.topic === "conversation.user.created" || n.topic === "conversation.admin.single.created") {
      const body = item.source?.body;
      if (body?.trim())
        (out.messages ??= []).push(
          message(item, `source:${item.source?.id ?? item.id}`, body, item.created_at, item.source?.author, customer),
        );
      else out.unmapped.push(`conversation ${item.id}: its first message has no text`);
      out.events.push(
        senderEvent("intercom", {
          type: "conversation",
          externalId: `conversation:${item.id}:opened`,
          at: item.created_at,
          status: "opened",
          customer,
          attributes: { conversationId: item.id },
        }),
      );
    }
    for (const p of item.conversation_parts?.conversation_parts ?? []) {
      if (p.part_type === "comment") {
        if (p.body?.trim()) (out.messages ??= []).push(message(item, p.id, p.body, p.created_at, p.author, customer));
        else out.unmapped.push(`part ${p.id} has no text`);
      } else if (p.part_type === "note") {
        out.unmapped.push(`part ${p.id} is an internal note`);
      } else if (journey[p.part_type]) {
        const event = senderEvent("intercom", {
          type: "conversation",
          externalId: `part:${p.id}`,
          at: p.created_at,
          status: journey[p.part_type],
          customer,
          attributes: {
            conversationId: item.id,
            ...(p.assigned_to?.id ? { assigneeId: `intercom:admin:${p.assigned_to.id}` } : {}),
          },
        });
        out.events.push(event);
        if (p.part_type === "close" || p.part_type === "open")
          (out.conversations ??= []).push({
            conversationId: item.id,
            closed: p.part_type === "close",
            at: event.occurredAt,
          });
      } else out.unmapped.push(`part ${p.id}: part type ${p.part_type} is not mapped`);
    }
    return out;
  },
};
