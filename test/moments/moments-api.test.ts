import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, emailInput, eventInput, socialInput } from "../support/factories.js";

// Moments raised, escalated and re-scored from journeys ingested through the API, one customer or
// hundreds in one scoring transaction (the webhooks they feed: test/webhooks/moment-deliveries.test.ts;
// their live stream: moment-stream.test.ts).

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const settle = () => h.runtime.momentQueue.idle();
const moments = async (qs = "") => (await (await h.request("GET", `/v1/moments${qs}`)).json()).items;

describe("moments from ingested journeys", () => {
  it("flags the bank story as it happens, escalates it, and follows the lifecycle", async () => {
    const customer = { customerId: "crm-moment-1", email: "moment.one@example.com" };
    await h.request("POST", "/v1/events/batch", {
      body: {
        items: [
          eventInput({
            customer,
            type: "transaction",
            name: "withdrawal",
            status: "failed",
            occurredAt: "2026-03-10T09:02:00Z",
          }),
          eventInput({
            customer,
            type: "error",
            name: "insufficient_funds",
            status: "shown",
            occurredAt: "2026-03-10T09:02:10Z",
          }),
        ],
      },
    });
    await h.request("POST", "/v1/interactions", {
      body: chatInput({
        customer,
        occurredAt: "2026-03-10T09:03:00Z",
        session: { waitSeconds: 44 },
        turns: [{ speaker: "customer", text: "My withdrawal failed with an error and nobody answers. Ridiculous!" }],
      }),
    });
    await settle();
    let [m] = await moments(
      "?customerId=" +
        encodeURIComponent((await (await h.request("GET", "/v1/customers?q=crm-moment-1")).json()).items[0].id),
    );
    expect(m).toMatchObject({ status: "open" });
    expect(m.reasons.map((r: { code: string }) => r.code)).toEqual(
      expect.arrayContaining(["failed_before_contact", "long_wait"]),
    );
    const firstSeverity = m.severity;

    await h.request("POST", "/v1/interactions", {
      body: socialInput({
        customer,
        authorHandle: "@moment_one",
        occurredAt: "2026-03-10T09:20:00Z",
        text: "Worst bank ever, cannot get my own money out. Closing my account.",
      }),
    });
    await settle();
    const all = await moments(`?customerId=${m.customerId}`);
    expect(all).toHaveLength(1); // the same moment, re-scored
    expect(["high", "critical"]).toContain(all[0].severity);
    expect(all[0].severity).not.toBe(firstSeverity === "critical" ? "low" : "none");

    expect((await h.request("POST", `/v1/moments/${m.id}/ack`, { key: h.keys.read })).status).toBe(403);
    const ack = await h.request("POST", `/v1/moments/${m.id}/ack`, { key: h.keys.act });
    expect((await ack.json()).acknowledged).toMatchObject({
      by: expect.stringMatching(/^key:key_/),
      name: "test act",
      at: expect.any(String),
    });
    const resolved = await (await h.request("POST", `/v1/moments/${m.id}/resolve`)).json();
    expect(resolved).toMatchObject({ status: "resolved", resolved: { by: expect.stringMatching(/^key:/) } });
    expect((await h.request("POST", `/v1/moments/${m.id}/resolve`)).status).toBe(409);
    expect((await h.request("POST", `/v1/moments/${m.id}/ack`, { key: null })).status).toBe(401);
    m = (await moments("?status=resolved")).find((x: { id: string }) => x.id === m.id);
    expect(m).toBeDefined();
  });

  it("re-scores when a late error arrives after the chat it caused", async () => {
    const customer = { customerId: "crm-late-1" };
    await h.request("POST", "/v1/interactions", {
      body: chatInput({
        customer,
        occurredAt: "2026-03-11T10:05:00Z",
        turns: [{ speaker: "customer", text: "My card payment failed again, this is really annoying." }],
      }),
    });
    await settle();
    const customerId = (await (await h.request("GET", "/v1/customers?q=crm-late-1")).json()).items[0].id;
    const before = await moments(`?customerId=${customerId}`);
    await h.request("POST", "/v1/events", {
      body: eventInput({
        customer,
        type: "error",
        name: "card_declined",
        status: "shown",
        occurredAt: "2026-03-11T10:01:00Z",
      }),
    });
    await settle();
    const after = await moments(`?customerId=${customerId}`);
    // One moment, re-scored with the error that caused the chat (not a second moment).
    expect(after.length).toBe(1);
    if (before.length) expect(after[0].risk).toBeGreaterThanOrEqual(before[0].risk);
    const failed = after[0].reasons.find((r: { code: string }) => r.code === "failed_before_contact");
    expect(failed.refs[0]).toMatch(/^evt_/);
  });

  it("opens and escalates many customers' moments in one scoring transaction, each with its event", async () => {
    const customers = ["crm-many-1", "crm-many-2", "crm-many-3"].map((customerId) => ({ customerId }));
    const events = async () =>
      (await h.runtime.db.$client.execute("SELECT type, payload FROM moment_events ORDER BY seq")).rows.map((r) => ({
        type: String(r.type),
        ...JSON.parse(String(r.payload)),
      }));
    const before = (await events()).length;
    // Mildly unhappy first: a low- or medium-severity moment each, opened together.
    await h.request("POST", "/v1/interactions/batch", {
      body: {
        items: customers.map((customer, i) =>
          chatInput({
            customer,
            externalId: `many-a-${i}`,
            occurredAt: "2026-03-12T09:00:00Z",
            session: { waitSeconds: 50 },
            turns: [{ speaker: "customer", text: "The app keeps failing. Not happy." }],
          }),
        ),
      },
    });
    await settle();
    const opened = (await events()).slice(before);
    expect(opened.filter((e) => e.type === "moment.flagged")).toHaveLength(3);
    const ids = new Map(opened.map((e) => [e.customerId, e.id]));
    expect(ids.size).toBe(3);
    // Then furious, public and leaving: every live moment re-scored in the same statement.
    await h.request("POST", "/v1/interactions/batch", {
      body: {
        items: customers.map((customer, i) =>
          socialInput({
            customer,
            externalId: `many-b-${i}`,
            authorHandle: `@many_${i}`,
            occurredAt: "2026-03-12T09:10:00Z",
            text: "Worst bank ever!!! Charged twice, nobody calls back. I want a manager and I am closing my account.",
          }),
        ),
      },
    });
    await settle();
    for (const [customerId, id] of ids) {
      const [m] = await moments(`?customerId=${customerId}`);
      expect(m.id).toBe(id);
      expect(m.triggerAt).toBe("2026-03-12T09:10:00.000Z");
      expect(["high", "critical"]).toContain(m.severity);
    }
    const later = (await events()).slice(before + opened.length);
    const escalated = later.filter((e) => e.type === "moment.escalated");
    // An escalation event exactly for the moments whose severity rose.
    const rank = ["low", "medium", "high", "critical"];
    const rose = opened.filter(
      (e) =>
        e.type === "moment.flagged" &&
        rank.indexOf(e.severity) <
          rank.indexOf(later.find((x) => x.customerId === e.customerId)?.severity ?? e.severity),
    );
    expect(escalated.map((e) => e.id).sort()).toEqual(rose.map((e) => e.id).sort());
    expect(escalated.length).toBeGreaterThan(0);
  });

  it("writes more moments than one statement holds (401 customers in one scoring transaction)", async () => {
    const customers = Array.from({ length: 401 }, (_, i) => ({ customerId: `crm-bulk-${i}` }));
    const count = async (sql: string) => Number((await h.runtime.db.$client.execute(sql)).rows[0].n);
    const post = (round: string, text: string, occurredAt: string) =>
      h.request("POST", "/v1/interactions/batch", {
        body: {
          items: customers.map((customer, i) =>
            socialInput({
              customer,
              externalId: `bulk-${round}-${i}`,
              authorHandle: `@bulk_${round}_${i}`,
              occurredAt,
              text,
            }),
          ),
        },
      });
    await post(
      "a",
      "Worst bank ever!!! Charged twice and nobody calls back. Closing my account.",
      "2026-03-13T09:00:00Z",
    );
    await settle();
    expect(
      await count(
        "SELECT count(*) AS n FROM moments WHERE customer_id IN (SELECT customer_id FROM identities WHERE kind = 'customer_id' AND value LIKE 'crm-bulk-%')",
      ),
    ).toBe(401);
    await post("b", "Still charged twice. I want a manager NOW and I am closing my account!!!", "2026-03-13T09:30:00Z");
    await settle();
    // Every live moment re-scored: its trigger moved to the second post, still one moment per customer.
    const moved = await count(
      `SELECT count(*) AS n FROM moments WHERE trigger_at = ${Date.parse("2026-03-13T09:30:00Z")} AND customer_id IN (SELECT customer_id FROM identities WHERE kind = 'customer_id' AND value LIKE 'crm-bulk-%')`,
    );
    expect(moved).toBe(401);
    expect(
      await count(
        "SELECT count(*) AS n FROM moments WHERE customer_id IN (SELECT customer_id FROM identities WHERE kind = 'customer_id' AND value LIKE 'crm-bulk-%')",
      ),
    ).toBe(401);
  });

  it("does not flag a calm question", async () => {
    await h.request("POST", "/v1/interactions", {
      body: emailInput({ customer: { customerId: "crm-calm" }, body: "What are your opening hours on Saturday?" }),
    });
    await settle();
    const customerId = (await (await h.request("GET", "/v1/customers?q=crm-calm")).json()).items[0].id;
    expect(await moments(`?customerId=${customerId}`)).toEqual([]);
  });
});
