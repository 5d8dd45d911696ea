import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, eventInput, socialInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ REDACT_PII: "false" });
});
afterAll(() => h.close());

/** True when the marker's bytes appear anywhere in the database file or its WAL. */
function fileHolds(marker: string): boolean {
  return ["test.db", "test.db-wal"].some(
    (f) => existsSync(join(h.dir, f)) && readFileSync(join(h.dir, f)).includes(Buffer.from(marker)),
  );
}

describe("erasure", () => {
  it("removes a customer and everything derived, down to the bytes of the database file", async () => {
    const marker = `Zq${Date.now()}xmarker`;
    const customer = { email: `${marker.toLowerCase()}@example.com`, name: `Name ${marker}` };
    const { customerId } = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({
          customer,
          turns: [{ speaker: "customer", text: `My secret word is ${marker} and I am angry` }],
        }),
      })
    ).json();
    await h.request("POST", "/v1/events", {
      body: eventInput({ customer: { email: customer.email }, attributes: { note: marker } }),
    });
    // A second customer who turns out to be the same person: the merge records the marker email as evidence.
    await h.request("POST", "/v1/interactions", { body: chatInput({ customer: { phone: "+44 7700 900999" } }) });
    const bridge = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({ customer: { email: customer.email, phone: "+447700900999" } }),
      })
    ).json();
    expect(bridge.customerId).toBe(customerId);
    const bystander = await (
      await h.request("POST", "/v1/interactions", { body: socialInput({ text: "Someone else entirely" }) })
    ).json();
    await h.runtime.db.$client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    expect(fileHolds(marker)).toBe(true);

    expect((await h.request("DELETE", `/v1/customers/${customerId}`, { key: h.keys.read })).status).toBe(403);
    // How many moments the journeys (this customer's and the one merged into it) raised depends on the
    // analysis's risk; all of them must go, the bystander's stay.
    const [{ n: moments }] = (
      await h.runtime.db.$client.execute({
        sql: "SELECT count(*) AS n FROM moments WHERE customer_id != ?",
        args: [bystander.customerId],
      })
    ).rows as unknown as Array<{ n: number }>;
    expect(Number(moments)).toBeGreaterThan(0);
    const res = await h.request("DELETE", `/v1/customers/${customerId}`, { key: h.keys.admin });
    expect(res.status).toBe(200);
    expect((await res.json()).erased).toEqual({
      interactions: 3,
      events: 1,
      identities: 2,
      moments: Number(moments),
      momentsRescored: 0,
      deliveries: 0,
      verdicts: 0,
      customer: true,
    });
    const history = (await (await h.request("GET", `/v1/customers/${customerId}/identity-history`)).json()).items;
    expect(history.map((e: { action: string; details: unknown }) => [e.action, e.details])).toEqual([
      ["merge", { erased: true }],
      ["erased", { erased: true }],
    ]);

    expect((await h.request("GET", `/v1/customers/${customerId}`)).status).toBe(404);
    expect(
      (
        await (
          await h.request("GET", `/v1/interactions?q=${marker}&from=2025-01-01T00:00:00Z&to=2026-12-31T00:00:00Z`)
        ).json()
      ).items,
    ).toEqual([]);
    expect(fileHolds(marker)).toBe(false);
    await h.runtime.db.$client.execute("VACUUM");
    expect(fileHolds(marker)).toBe(false);
    expect((await h.request("GET", `/v1/interactions/${bystander.id}`)).status).toBe(200);
    expect((await h.request("DELETE", `/v1/customers/${customerId}`, { key: h.keys.admin })).status).toBe(404);
  });

  it("erases one customer's data in a time range and keeps the rest", async () => {
    const customer = { customerId: "crm-range" };
    const early = await (
      await h.request("POST", "/v1/interactions", { body: chatInput({ customer, occurredAt: "2026-01-10T10:00:00Z" }) })
    ).json();
    const late = await (
      await h.request("POST", "/v1/interactions", { body: chatInput({ customer, occurredAt: "2026-02-10T10:00:00Z" }) })
    ).json();
    const res = await h.request(
      "DELETE",
      `/v1/customers/${early.customerId}/data?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
      { key: h.keys.admin },
    );
    expect((await res.json()).erased).toMatchObject({ interactions: 1, events: 0 });
    expect((await h.request("GET", `/v1/interactions/${early.id}`)).status).toBe(404);
    expect((await h.request("GET", `/v1/interactions/${late.id}`)).status).toBe(200);
    expect(
      (
        await h.request("DELETE", `/v1/customers/${early.customerId}/data?from=2026-02-01T00:00:00Z`, {
          key: h.keys.admin,
        })
      ).status,
    ).toBe(422);
  });
});
