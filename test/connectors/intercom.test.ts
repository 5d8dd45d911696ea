import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver, hmacOf, unixNow } from "./support.js";

// Payloads follow Intercom's webhook documentation: a `notification_event` whose `data.item` is the
// conversation model (source, contacts, conversation_parts), topics conversation.user.created,
// conversation.user.replied, conversation.admin.replied, conversation.admin.assigned / closed.
const SECRET = "ic-client-secret-0987654321";

const conversation = (parts: unknown[] = []) => ({
  type: "conversation",
  id: "147",
  created_at: 1741000000,
  updated_at: 1741000100,
  title: null,
  state: "open",
  open: true,
  source: {
    type: "conversation",
    id: "403918316",
    delivered_as: "customer_initiated",
    subject: "",
    body: "<p>Hi, I was <b>charged twice</b> for my subscription this month.</p>",
    author: { type: "user", id: "5310d8e7598c9a0b24000002", name: "Priya Shah", email: "priya.shah@example.com" },
    attachments: [],
    url: null,
  },
  contacts: {
    type: "contact.list",
    contacts: [{ type: "contact", id: "5310d8e7598c9a0b24000002", external_id: "crm-2291" }],
  },
  admin_assignee_id: null,
  conversation_parts: { type: "conversation_part.list", conversation_parts: parts, total_count: parts.length },
});
const notification = (topic: string, item: unknown, id = `notif_${topic}`, createdAt = unixNow()) => ({
  type: "notification_event",
  app_id: "abc123",
  data: { type: "notification_event_data", item },
  links: {},
  id,
  topic,
  delivery_status: "pending",
  delivery_attempts: 1,
  delivered_at: 0,
  first_sent_at: createdAt,
  created_at: createdAt,
  self: null,
});
const part = (
  id: string,
  partType: string,
  body: string | null,
  author: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) => ({
  type: "conversation_part",
  id,
  part_type: partType,
  body,
  created_at: 1741000200,
  updated_at: 1741000200,
  notified_at: 1741000200,
  assigned_to: null,
  author,
  attachments: [],
  external_id: null,
  redacted: false,
  ...extra,
});
const admin = { type: "admin", id: "814860", name: "Lee", email: "lee@acme.example" };
const user = { type: "user", id: "5310d8e7598c9a0b24000002", name: "Priya Shah", email: "priya.shah@example.com" };

describe("POST /v1/connectors/intercom", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ CONNECTOR_INTERCOM_SECRET: SECRET });
  });
  afterAll(() => h.close());

  const send = (body: unknown, secret = SECRET) => {
    const raw = JSON.stringify(body);
    return deliver(h, "intercom", raw, { "x-hub-signature": "sha1=" + hmacOf("sha1", secret, raw, "hex") });
  };

  it("maps a new conversation to the customer's first message (HTML to text) and an opened event", async () => {
    const out = await (await send(notification("conversation.user.created", conversation()))).json();
    expect(out.records.map((r: { externalId: string }) => r.externalId).sort()).toEqual([
      "conversation:147",
      "conversation:147:opened",
    ]);
    const msg = out.records.find((r: { kind: string }) => r.kind === "interaction");
    const stored = await (await h.request("GET", `/v1/interactions/${msg.id}`)).json();
    expect(stored.turns[0]).toMatchObject({
      speaker: "customer",
      text: "Hi, I was charged twice for my subscription this month.",
    });
    const customer = await (await h.request("GET", `/v1/customers/${stored.customerId}`)).json();
    expect(JSON.stringify(customer)).toContain("crm-2291");
    expect(JSON.stringify(customer)).toContain("intercom:contact:5310d8e7598c9a0b24000002");
  });

  it("maps replies to turns by author, assignment and close to journey events, and reports notes", async () => {
    const parts = [
      part("7001", "comment", "<p>I have refunded the second charge.</p>", admin),
      part("7002", "comment", "<p>Thank you!</p>", user),
      part("7003", "assignment", null, admin, { assigned_to: { type: "admin", id: "814860" } }),
      part("7004", "note", "<p>Refund ref RF-1</p>", admin),
      part("7005", "close", null, admin),
    ];
    const out = await (await send(notification("conversation.admin.closed", conversation(parts)))).json();
    // Events first, then the messages that grew the conversation's chat.
    expect(out.records.map((r: { externalId: string; status: string }) => [r.externalId, r.status])).toEqual([
      ["part:7003", "created"],
      ["part:7005", "created"],
      ["conversation:147", "appended"],
      ["conversation:147", "appended"],
    ]);
    expect(out.unmapped).toEqual(["part 7004 is an internal note"]);
    const chat = await (await h.request("GET", `/v1/interactions/${out.records[2].id}`)).json();
    expect(chat.turns.map((t: { speaker: string }) => t.speaker)).toEqual(["customer", "agent", "customer"]);
    const closed = await (await h.request("GET", `/v1/events/${out.records[1].id}`)).json();
    expect(closed.status).toBe("resolved");
    const again = await (await send(notification("conversation.admin.closed", conversation(parts)))).json();
    expect(again.records.every((r: { status: string }) => r.status === "existing")).toBe(true);
  });

  it("ignores topics it does not map with a 2xx", async () => {
    const out = await (await send(notification("contact.user.created", { type: "contact", id: "1" }))).json();
    expect(out.ignored).toBe("topic contact.user.created is not mapped");
  });

  it("refuses a wrong signature, an old notification and an unsigned delivery", async () => {
    expect((await send(notification("conversation.user.created", conversation()), "wrong")).status).toBe(401);
    expect(
      (await send(notification("conversation.user.created", conversation(), "notif_old", unixNow() - 7200))).status,
    ).toBe(401);
    expect((await deliver(h, "intercom", notification("conversation.user.created", conversation()))).status).toBe(401);
  });
});
