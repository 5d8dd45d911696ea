import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver, hmacOf, unixNow } from "./support.js";

// Payloads follow the examples of Chatwoot's webhook documentation (developers' guide "Webhook
// events": message_created, conversation_created, conversation_status_changed, conversation_updated):
// the message at the top level, the conversation with `meta.sender` (the contact) and `meta.assignee`.
const SECRET = "cw-test-secret-1234567890";

const contact = {
  id: 42,
  name: "Maria Garcia",
  avatar: "",
  type: "contact",
  email: "maria.garcia@example.com",
  phone_number: "+447700900123",
  identifier: null,
  thumbnail: "",
  additional_attributes: {},
  custom_attributes: {},
};
const conversation = (over: Record<string, unknown> = {}) => ({
  additional_attributes: {},
  can_reply: true,
  channel: "Channel::WebWidget",
  contact_inbox: { id: 9, contact_id: 42, inbox_id: 1, source_id: "c1d2e3f4" },
  id: 310,
  inbox_id: 1,
  labels: [],
  meta: { sender: contact, assignee: null, team: null, hmac_verified: false },
  status: "open",
  custom_attributes: {},
  snoozed_until: null,
  unread_count: 1,
  timestamp: 1741000000,
  created_at: 1741000000,
  updated_at: 1741000000.5,
  ...over,
});
const message = (over: Record<string, unknown> = {}) => ({
  id: 1073,
  content: "My order 5512 never arrived and nobody answers. Call me on +44 7700 900123.",
  created_at: "2025-03-03T10:15:00.000Z",
  message_type: "incoming",
  content_type: "text",
  content_attributes: {},
  source_id: null,
  private: false,
  sender: contact,
  conversation: conversation(),
  account: { id: 1, name: "Acme" },
  inbox: { id: 1, name: "Website" },
  event: "message_created",
  ...over,
});

const signed = (body: unknown, ts = unixNow(), secret = SECRET) => {
  const raw = JSON.stringify(body);
  return {
    raw,
    headers: {
      "x-chatwoot-signature": "sha256=" + hmacOf("sha256", secret, `${ts}.${raw}`, "hex"),
      "x-chatwoot-timestamp": String(ts),
      "x-chatwoot-delivery": "d-1",
    },
  };
};

describe("POST /v1/connectors/chatwoot", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ CONNECTOR_CHATWOOT_SECRET: SECRET });
  });
  afterAll(() => h.close());

  const send = (body: unknown, opts: { ts?: number; secret?: string } = {}) => {
    const { raw, headers } = signed(body, opts.ts, opts.secret);
    return deliver(h, "chatwoot", raw, headers);
  };

  it("maps an incoming message to a chat turn of the customer, identified by email, phone and Chatwoot contact id, masked", async () => {
    const res = await send(message());
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ sender: "chatwoot", event: "message_created", unmapped: [] });
    expect(body.records).toEqual([
      { kind: "interaction", externalId: "conversation:310", id: expect.any(String), status: "created" },
    ]);
    const stored = await (await h.request("GET", `/v1/interactions/${body.records[0].id}`)).json();
    expect(stored).toMatchObject({ source: "chatwoot", channel: "chat", occurredAt: "2025-03-03T10:15:00.000Z" });
    expect(stored.turns[0].speaker).toBe("customer");
    expect(stored.turns[0].text).toContain("[PHONE]");
    expect(JSON.stringify(stored)).not.toContain("7700 900123");
    expect(stored.metadata.chatwoot.conversationId).toBe("310");
    const customer = await (await h.request("GET", `/v1/customers/${stored.customerId}`)).json();
    const kinds = JSON.stringify(customer);
    expect(kinds).toContain("maria.garcia@example.com");
    expect(kinds).toContain("chatwoot:contact:42");
  });

  it("is idempotent on the message id: a redelivery finds the same record", async () => {
    const first = await (await send(message({ id: 2001 }))).json();
    const again = await (await send(message({ id: 2001 }))).json();
    expect(again.records[0]).toMatchObject({ id: first.records[0].id, status: "existing" });
  });

  it("grows one chat per conversation: agent and bot turns by speaker, in time order even out of order, re-scored, idempotent", async () => {
    const conv = conversation({ id: 400 });
    const at = (m: number) => `2025-03-04T10:0${m}:00.000Z`;
    const first = await (
      await send(
        message({ id: 4001, conversation: conv, created_at: at(0), content: "My card was declined twice today." }),
      )
    ).json();
    expect(first.records[0]).toMatchObject({ externalId: "conversation:400", status: "created" });
    const momentsOf = async (customerId: string) =>
      (await (await h.request("GET", `/v1/moments?customerId=${customerId}`)).json()).items as Array<{
        risk: number;
        reasons: unknown;
      }>;
    const firstChat = await (await h.request("GET", `/v1/interactions/${first.records[0].id}`)).json();
    const before = JSON.stringify(await momentsOf(firstChat.customerId));
    // The bot's message (10:02) arrives before the agent's (10:01).
    const bot = await (
      await send(
        message({
          id: 4003,
          conversation: conv,
          created_at: at(2),
          message_type: "outgoing",
          content: "An agent will be with you shortly.",
          sender: { id: 3, name: "Helper", type: "agent_bot" },
        }),
      )
    ).json();
    const agent = await (
      await send(
        message({
          id: 4002,
          conversation: conv,
          created_at: at(1),
          message_type: "outgoing",
          content: "Sorry, let me look.",
          sender: { id: 7, name: "Sam", type: "user" },
        }),
      )
    ).json();
    const last = await (
      await send(
        message({
          id: 4004,
          conversation: conv,
          created_at: at(3),
          content: "This is useless, I am closing my account and filing a complaint!",
        }),
      )
    ).json();
    for (const r of [bot, agent, last])
      expect(r.records[0]).toMatchObject({ id: first.records[0].id, status: "appended" });
    const chat = await (await h.request("GET", `/v1/interactions/${first.records[0].id}`)).json();
    expect(chat.turns.map((t: { speaker: string }) => t.speaker)).toEqual(["customer", "agent", "bot", "customer"]);
    expect(chat.turns.map((t: { at: string }) => t.at)).toEqual([at(0), at(1), at(2), at(3)]);
    expect(chat.occurredAt).toBe(at(0));
    expect(chat.text).toContain("closing my account");
    // The re-analysis sees the whole chat: the last turn's complaint raises the moment.
    const after = await momentsOf(chat.customerId);
    expect(after.length).toBeGreaterThan(0);
    expect(JSON.stringify(after)).not.toBe(before);
    const replay = await (
      await send(
        message({
          id: 4002,
          conversation: conv,
          created_at: at(1),
          message_type: "outgoing",
          content: "Sorry, let me look.",
          sender: { id: 7, name: "Sam", type: "user" },
        }),
      )
    ).json();
    expect(replay.records[0].status).toBe("existing");
    expect((await (await h.request("GET", `/v1/interactions/${first.records[0].id}`)).json()).turns).toHaveLength(4);
  });

  it("finalises a resolved conversation (later messages add no turn) and lets a reopened one grow", async () => {
    const conv = conversation({ id: 401 });
    await send(message({ id: 4101, conversation: conv, content: "Is my refund done?" }));
    await send({
      event: "conversation_status_changed",
      ...conversation({ id: 401, status: "resolved", updated_at: 1741100000 }),
    });
    const late = await (await send(message({ id: 4102, conversation: conv, content: "Hello?" }))).json();
    expect(late.records).toEqual([]);
    expect(late.unmapped[0]).toContain("is closed");
    await send({
      event: "conversation_status_changed",
      ...conversation({ id: 401, status: "open", updated_at: 1741100100 }),
    });
    const again = await (await send(message({ id: 4103, conversation: conv, content: "Hello again?" }))).json();
    expect(again.records[0].status).toBe("appended");
  });

  it("maps conversation_created, an assignment and conversation_status_changed to journey events", async () => {
    const created = await (await send({ event: "conversation_created", ...conversation({ id: 311 }) })).json();
    expect(created.records).toEqual([
      { kind: "event", externalId: "conversation:311:created", id: expect.any(String), status: "created" },
    ]);
    const assigned = await (
      await send({
        event: "conversation_updated",
        ...conversation({ id: 311, meta: { sender: contact, assignee: { id: 7, name: "Sam" } } }),
        changed_attributes: [{ assignee_id: { previous_value: null, current_value: 7 } }],
      })
    ).json();
    expect(assigned.records[0].externalId).toMatch(/^conversation:311:assigned:7:/);
    const resolved = await (
      await send({
        event: "conversation_status_changed",
        ...conversation({ id: 311, status: "resolved", updated_at: 1741003600 }),
      })
    ).json();
    const event = await (await h.request("GET", `/v1/events/${resolved.records[0].id}`)).json();
    expect(event).toMatchObject({ type: "conversation", status: "resolved", source: "chatwoot" });
  });

  it("answers 2xx to events it does not map, and to private notes, and stores nothing", async () => {
    for (const body of [
      { event: "conversation_typing_on", conversation: conversation() },
      message({ id: 2005, private: true }),
      message({ id: 2006, message_type: "activity", content: "Conversation was marked resolved by Sam" }),
    ]) {
      const res = await send(body);
      expect(res.status).toBe(200);
      const out = await res.json();
      expect(out.records).toEqual([]);
      expect(out.ignored).toBeTruthy();
    }
  });

  it("reports what it could not map: a message without text", async () => {
    const out = await (
      await send(message({ id: 2007, content: null, attachments: [{ id: 1, file_type: "image" }] }))
    ).json();
    expect(out.records).toEqual([]);
    expect(out.unmapped[0]).toContain("message 2007 has no text");
  });

  it("refuses a bad signature, a stale timestamp and an unsigned delivery (401)", async () => {
    expect((await send(message({ id: 2008 }), { secret: "wrong-secret" })).status).toBe(401);
    const stale = await send(message({ id: 2008 }), { ts: unixNow() - 3600 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).detail).toContain("X-Chatwoot-Timestamp");
    const unsigned = await deliver(h, "chatwoot", message({ id: 2008 }));
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get("content-type")).toContain("application/problem+json");
    // A body changed after signing fails too.
    const { headers } = signed(message({ id: 2008 }));
    expect((await deliver(h, "chatwoot", JSON.stringify(message({ id: 2009 })), headers)).status).toBe(401);
  });

  it("refuses a payload it cannot read (422 naming the field) and an unknown sender (404)", async () => {
    const res = await send({ event: "message_created", id: 1, content: "hi", message_type: "incoming" });
    expect(res.status).toBe(422);
    expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain("created_at");
    expect((await deliver(h, "nosuch", {})).status).toBe(404);
  });

  it("needs a key with the ingest scope, in the Authorization header or ?key=", async () => {
    const { raw, headers } = signed(message({ id: 2010 }));
    expect((await deliver(h, "chatwoot", raw, headers, { key: null })).status).toBe(401);
    expect((await deliver(h, "chatwoot", raw, headers, { key: h.keys.read })).status).toBe(403);
    expect((await deliver(h, "chatwoot", raw, headers, { key: null, query: `?key=${h.keys.ingest}` })).status).toBe(
      200,
    );
  });
});

describe("Chatwoot with unsigned deliveries allowed", () => {
  it("takes an unsigned delivery when CONNECTOR_UNSIGNED lists chatwoot, and still checks a signed one", async () => {
    const h = await createHarness({ CONNECTOR_UNSIGNED: "chatwoot", CONNECTOR_CHATWOOT_SECRET: SECRET });
    try {
      expect((await deliver(h, "chatwoot", message({ id: 3001 }))).status).toBe(200);
      const { raw, headers } = signed(message({ id: 3002 }), unixNow(), "wrong");
      expect((await deliver(h, "chatwoot", raw, headers)).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});
