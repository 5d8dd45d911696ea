import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadJourneys } from "../../src/services/moments/journey.js";
import { createHarness, type Harness } from "../support/harness.js";
import { eventInput, socialInput } from "../support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("journey reads for moment scoring", () => {
  it("read at most the latest 300 interactions and 300 events of a very active customer's window", async () => {
    const customer = { customerId: "crm-busy-1" };
    const start = Date.parse("2026-03-10T00:00:00Z");
    const at = (i: number) => new Date(start + i * 60_000).toISOString();
    const posts = Array.from({ length: 350 }, (_, i) =>
      socialInput({ customer, occurredAt: at(i), text: `Post number ${i} about my card.` }),
    );
    const events = Array.from({ length: 320 }, (_, i) => eventInput({ customer, type: "login", occurredAt: at(i) }));
    expect((await h.request("POST", "/v1/interactions/batch", { body: { items: posts } })).status).toBe(200);
    expect((await h.request("POST", "/v1/events/batch", { body: { items: events } })).status).toBe(200);
    const customerId = String(
      (await h.runtime.db.$client.execute("SELECT customer_id FROM interactions LIMIT 1")).rows[0].customer_id,
    );

    const journeys = await loadJourneys(h.runtime.db.$client, [
      { customerId, from: start, to: start + 24 * 3_600_000 },
    ]);
    const journey = journeys.get(customerId)!;
    const contacts = journey.filter((j) => j.kind === "interaction");
    const logins = journey.filter((j) => j.kind === "event");
    expect(contacts).toHaveLength(300);
    expect(logins).toHaveLength(300);
    // The most recent ones, in time order.
    expect(contacts[0].occurredAt).toBe(Date.parse(at(50)));
    expect(contacts[299].occurredAt).toBe(Date.parse(at(349)));
    expect(logins[0].occurredAt).toBe(Date.parse(at(20)));
    expect(journey.every((j, k) => k === 0 || journey[k - 1].occurredAt <= j.occurredAt)).toBe(true);
  });
});
