import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver, hmacOf } from "./support.js";

// Payloads follow Zendesk's event-subscription webhook documentation for ticket events
// (`zen:event-type:ticket.created`, `.comment_added`, `.status_changed`, `.agent_assignment_changed`):
// the ticket in `detail`, the change in `event`, Zendesk's event id in `id`.
const SECRET = "zd-signing-secret-abcdef";

const detail = (over: Record<string, unknown> = {}) => ({
  actor_id: "8447388090494",
  assignee_id: null,
  brand_id: "8447346621310",
  created_at: "2025-03-03T10:00:00Z",
  description: "The router I bought keeps dropping the connection.",
  external_id: null,
  form_id: "8646151517822",
  group_id: "8447346641198",
  id: "5158",
  is_public: true,
  organization_id: null,
  priority: "NORMAL",
  requester_id: "8447388090494",
  status: "OPEN",
  subject: "Router keeps disconnecting",
  submitter_id: "8447388090494",
  tags: ["hardware"],
  type: "PROBLEM",
  updated_at: "2025-03-03T10:15:00Z",
  via: { channel: "email" },
  ...over,
});
const delivery = (type: string, event: Record<string, unknown>, id: string, over: Record<string, unknown> = {}) => ({
  account_id: 22129848,
  detail: detail(over),
  event,
  id,
  subject: "zen:ticket:5158",
  time: "2025-03-03T10:15:00Z",
  type: `zen:event-type:${type}`,
  zendesk_event_version: "2022-11-06",
});
const comment = (id: string, body: string, staff = false, isPublic = true) => ({
  comment: {
    author: { id: staff ? "900" : "8447388090494", is_staff: staff, name: staff ? "Agent Kim" : "Jo Bloggs" },
    body,
    id,
    is_public: isPublic,
  },
});

describe("POST /v1/connectors/zendesk", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ CONNECTOR_ZENDESK_SECRET: SECRET });
  });
  afterAll(() => h.close());

  const send = (body: unknown, opts: { at?: Date; secret?: string } = {}) => {
    const raw = JSON.stringify(body);
    const ts = (opts.at ?? new Date()).toISOString();
    return deliver(h, "zendesk", raw, {
      "x-zendesk-webhook-signature": hmacOf("sha256", opts.secret ?? SECRET, ts + raw, "base64"),
      "x-zendesk-webhook-signature-timestamp": ts,
    });
  };

  it("maps a requester's public comment to an inbound email of the ticket's thread; an agent's to outbound on the same customer", async () => {
    const mine = await (
      await send(
        delivery(
          "ticket.comment_added",
          comment("10737467", "Still dropping every hour. My number is 07700 900123."),
          "evt-1",
        ),
      )
    ).json();
    expect(mine.records).toEqual([
      { kind: "interaction", externalId: "comment:10737467", id: expect.any(String), status: "created" },
    ]);
    const stored = await (await h.request("GET", `/v1/interactions/${mine.records[0].id}`)).json();
    expect(stored).toMatchObject({ source: "zendesk", channel: "email", subject: "Router keeps disconnecting" });
    expect(stored.channelData).toMatchObject({ direction: "inbound", threadId: "zendesk:ticket:5158" });
    expect(JSON.stringify(stored)).not.toContain("900123");
    const reply = await (
      await send(
        delivery(
          "ticket.comment_added",
          comment("10737468", "Sorry to hear that, we will send a replacement.", true),
          "evt-2",
        ),
      )
    ).json();
    const agent = await (await h.request("GET", `/v1/interactions/${reply.records[0].id}`)).json();
    expect(agent.channelData.direction).toBe("outbound");
    expect(agent.customerId).toBe(stored.customerId);
    const customer = await (await h.request("GET", `/v1/customers/${stored.customerId}`)).json();
    expect(JSON.stringify(customer)).toContain("zendesk:user:8447388090494");
  });

  it("maps created, assignment and status changes to journey events, one per Zendesk event id", async () => {
    const created = await (await send(delivery("ticket.created", {}, "evt-3"))).json();
    expect(created.records[0]).toMatchObject({ kind: "event", externalId: "event:evt-3", status: "created" });
    await send(delivery("ticket.agent_assignment_changed", { current: "900", previous: null }, "evt-4"));
    const solved = await (
      await send(
        delivery("ticket.status_changed", { current: "SOLVED", previous: "OPEN" }, "evt-5", { status: "SOLVED" }),
      )
    ).json();
    const event = await (await h.request("GET", `/v1/events/${solved.records[0].id}`)).json();
    expect(event).toMatchObject({ type: "ticket", status: "solved" });
    const again = await (
      await send(
        delivery("ticket.status_changed", { current: "SOLVED", previous: "OPEN" }, "evt-5", { status: "SOLVED" }),
      )
    ).json();
    expect(again.records[0]).toMatchObject({ id: solved.records[0].id, status: "existing" });
  });

  it("ignores internal notes and unmapped event types with a 2xx", async () => {
    const note = await send(
      delivery("ticket.comment_added", comment("10737469", "Customer is on the old firmware.", true, false), "evt-6"),
    );
    expect(note.status).toBe(200);
    expect((await note.json()).ignored).toContain("internal note");
    const tags = await (await send(delivery("ticket.tags_changed", { current: ["x"], previous: [] }, "evt-7"))).json();
    expect(tags).toMatchObject({ records: [], ignored: "event zen:event-type:ticket.tags_changed is not mapped" });
  });

  it("refuses a wrong signature, a stale timestamp and an unsigned delivery", async () => {
    const body = delivery("ticket.created", {}, "evt-8");
    expect((await send(body, { secret: "other" })).status).toBe(401);
    expect((await send(body, { at: new Date(Date.now() - 600_000) })).status).toBe(401);
    expect((await deliver(h, "zendesk", body)).status).toBe(401);
  });

  it("refuses a delivery without the ticket (422 naming detail)", async () => {
    const res = await send({ type: "zen:event-type:ticket.created", id: "evt-9", time: "2025-03-03T10:15:00Z" });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe("detail");
  });
});
