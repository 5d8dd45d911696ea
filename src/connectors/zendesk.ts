import { z } from "zod";
import type { EventInput } from "../contracts/events.js";
import type { InteractionInput } from "../contracts/interactions.js";
import { readPayload, senderEvent, senderIdSchema } from "./read.js";
import { timeOf, timestampedHmac } from "./signature.js";
import type { Connector, Mapped } from "./types.js";

// Zendesk's event-subscription webhooks for tickets (`zen:event-type:ticket.*`): the ticket in
// `detail`, what happened in `event`. Zendesk signs with the webhook's signing secret:
// X-Zendesk-Webhook-Signature is the base64 HMAC-SHA256 of the timestamp header followed by the body.

const id = senderIdSchema;
const delivery = z.looseObject({
  type: z.string(),
  id: z.string(),
  time: z.string(),
  subject: z.string().optional(),
  detail: z.looseObject({
    id,
    subject: z.string().nullish(),
    status: z.string().nullish(),
    requester_id: id.nullish(),
    assignee_id: id.nullish(),
    via: z.looseObject({ channel: z.string().optional() }).optional(),
  }),
  event: z.looseObject({}).default({}),
});
const comment = z.looseObject({
  comment: z.looseObject({
    id,
    body: z.string().nullish(),
    is_public: z.boolean().default(true),
    author: z.looseObject({ id: id.optional(), is_staff: z.boolean().default(false), name: z.string().nullish() }),
  }),
});
const change = z.looseObject({
  current: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v == null ? undefined : String(v))),
  previous: z.unknown().optional(),
});

/** Zendesk ticket statuses as journey statuses. */
const statuses: Record<string, string> = {
  new: "opened",
  open: "opened",
  pending: "pending",
  hold: "on_hold",
  solved: "solved",
  closed: "closed",
};

type Delivery = z.infer<typeof delivery>;

const requester = (d: Delivery) =>
  d.detail.requester_id ? { senderId: { system: "zendesk", id: `user:${d.detail.requester_id}` } } : {};

function ticketEvent(d: Delivery, status: string, attributes: Record<string, unknown> = {}): EventInput {
  return senderEvent("zendesk", {
    type: "ticket",
    // Zendesk's own event id: one journey event per delivery, whatever it is retried as.
    externalId: `event:${d.id}`,
    at: d.time,
    status,
    customer: requester(d),
    attributes: {
      ticketId: d.detail.id,
      ...(d.detail.via?.channel ? { via: d.detail.via.channel } : {}),
      ...attributes,
    },
  });
}

function mapComment(d: Delivery, out: Mapped): Mapped {
  const { comment: c } = readPayload(comment, d.event, "zendesk");
  if (!c.is_public) return { ...out, ignored: `comment ${c.id} is an internal note` };
  if (!c.body?.trim()) return { ...out, unmapped: [`comment ${c.id} has no text`] };
  out.interactions.push({
    source: "zendesk",
    externalId: `comment:${c.id}`,
    occurredAt: timeOf(d.time)?.toISOString() ?? "",
    channel: "email",
    ...(d.detail.subject ? { subject: d.detail.subject } : {}),
    body: c.body,
    threadId: `zendesk:ticket:${d.detail.id}`,
    direction: c.author.is_staff ? "outbound" : "inbound",
    customer: { ...requester(d), ...(!c.author.is_staff && c.author.name ? { name: c.author.name } : {}) },
    metadata: {
      zendesk: {
        ticketId: d.detail.id,
        ...(c.author.is_staff && c.author.id ? { agentId: `zendesk:user:${c.author.id}` } : {}),
      },
    },
  } as InteractionInput);
  return out;
}

export const zendesk: Connector = {
  sender: "zendesk",
  signatureHeader: "x-zendesk-webhook-signature",
  verify: timestampedHmac({
    signatureHeader: "X-Zendesk-Webhook-Signature",
    timestampHeader: "X-Zendesk-Webhook-Signature-Timestamp",
    algorithm: "sha256",
    encoding: "base64",
    signed: (timestamp, raw) => [timestamp, raw],
  }),
  map(payload) {
    const d = readPayload(delivery, payload, "zendesk");
    const out: Mapped = { event: d.type, interactions: [], events: [], unmapped: [] };
    const kind = d.type.replace(/^zen:event-type:/, "");
    switch (kind) {
      case "ticket.created":
        out.events.push(ticketEvent(d, "opened", d.detail.subject ? { subject: d.detail.subject } : {}));
        return out;
      case "ticket.comment_added":
        return mapComment(d, out);
      case "ticket.status_changed": {
        const current =
          readPayload(change, d.event, "zendesk").current?.toLowerCase() ?? d.detail.status?.toLowerCase() ?? "changed";
        out.events.push(ticketEvent(d, statuses[current] ?? current));
        return out;
      }
      case "ticket.agent_assignment_changed": {
        const current = readPayload(change, d.event, "zendesk").current;
        if (!current) return { ...out, ignored: "the ticket was unassigned" };
        out.events.push(ticketEvent(d, "assigned", { assigneeId: `zendesk:user:${current}` }));
        return out;
      }
      default:
        return { ...out, ignored: `event ${d.type} is not mapped` };
    }
  },
};
