import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, eventInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("journey events", () => {
  it("stores an event on the customer of its identifiers", async () => {
    const customer = { customerId: "crm-42", email: "ev@example.com" };
    const chat = await (await h.request("POST", "/v1/interactions", { body: chatInput({ customer }) })).json();
    const res = await h.request("POST", "/v1/events", { body: eventInput({ customer: { customerId: "crm-42" } }) });
    expect(res.status).toBe(201);
    const event = await res.json();
    expect(event).toMatchObject({ id: expect.stringMatching(/^evt_/), customerId: chat.customerId, status: "created" });
    const stored = await (await h.request("GET", `/v1/events/${event.id}`)).json();
    expect(stored).toMatchObject({
      type: "transaction",
      name: "withdrawal",
      status: "failed",
      amount: 500,
      currency: "EUR",
      attributes: { reason: "insufficient funds" },
    });
  });

  it("is idempotent on source and externalId", async () => {
    const input = eventInput();
    const a = await (await h.request("POST", "/v1/events", { body: input })).json();
    const again = await h.request("POST", "/v1/events", { body: input });
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(a.id);
  });

  it("ingests a batch with per-item results", async () => {
    const items = [
      eventInput({ type: "login" }),
      eventInput({ type: "page_view", name: "savings" }),
      eventInput({ occurredAt: "not a date" }),
    ];
    const body = await (await h.request("POST", "/v1/events/batch", { body: { items } })).json();
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([201, 201, 422]);
    expect(body.results[2].problem.errors[0].field).toBe("items.2.occurredAt");
  });

  it("requires the customer block", async () => {
    const { customer: _omit, ...rest } = eventInput();
    const res = await h.request("POST", "/v1/events", { body: rest });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].field).toBe("customer");
  });
});
