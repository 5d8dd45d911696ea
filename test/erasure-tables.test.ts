import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, emailInput } from "./support/factories.js";
import { erasureKit } from "./support/erasure-kit.js";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
});
afterAll(() => h.close());

const { settle, all, customerOf, troubledJourney } = erasureKit(() => h);

describe("erasure, table by table", () => {
  it("leaves no row that names the customer or any of its records, and clears the live stream's buffer", async () => {
    await (
      await h.request("POST", "/v1/webhooks", {
        key: h.keys.admin,
        body: {
          url: "http://127.0.0.1:9/never",
          events: ["moment.flagged", "moment.resolved", "interaction.analyzed"],
        },
      })
    ).json();
    const customer = { customerId: "crm-erase-all", email: "erase.all@example.com" };
    await troubledJourney(customer, "2026-05-01");
    await h.request("POST", "/v1/interactions", {
      body: emailInput({
        customer,
        occurredAt: "2026-05-01T09:00:00Z",
        subject: "Complaint",
        metadata: { ticket: "T-1" },
      }),
    });
    // A second customer who turns out to be the same person: merged in, with its own moment.
    await troubledJourney({ phone: "+44 7700 900321" }, "2026-05-02");
    await h.request("POST", "/v1/interactions", {
      body: chatInput({
        customer: { email: "erase.all@example.com", phone: "+447700900321" },
        occurredAt: "2026-05-03T09:00:00Z",
      }),
    });
    await settle();
    const customerId = await customerOf("crm-erase-all");
    const people = [
      customerId,
      ...(await all("SELECT id FROM customers WHERE merged_into = ?", [customerId])).map((r) => String(r.id)),
    ];
    expect(people).toHaveLength(2);
    const [moment] = await all("SELECT id FROM moments WHERE customer_id = ?", [customerId]);
    await h.request("POST", `/v1/moments/${moment.id}/resolve`);
    // An agent's verdict, changed once: both rows name the moment.
    await h.request("POST", `/v1/moments/${moment.id}/verdict`, { body: { verdict: "confirmed" } });
    await h.request("POST", `/v1/moments/${moment.id}/verdict`, {
      body: { verdict: "false_alarm", note: "not a complaint after all" },
    });
    const markers = [
      ...people,
      ...(
        await all(
          "SELECT id FROM interactions WHERE customer_id = ?1 UNION ALL SELECT id FROM journey_events WHERE customer_id = ?1",
          [customerId],
        )
      ).map((r) => String(r.id)),
      ...(await all("SELECT id FROM moments WHERE customer_id IN (?, ?)", people)).map((r) => String(r.id)),
      "erase.all@example.com",
      "+447700900321",
    ];
    expect(markers.length).toBeGreaterThan(8);
    // A deferred scoring left in the backlog.
    await h.runtime.db.$client.execute({
      sql: "INSERT INTO scoring_backlog (record_id, kind, created_at) VALUES (?, 'interaction', 0)",
      args: [markers[2]],
    });

    // The live stream's buffer holds the customer's and a bystander's moment events once the feed has polled.
    const bystander = await troubledJourney({ customerId: "crm-erase-bystander" }, "2026-05-01");
    const feed = h.runtime.momentFeed;
    const frames = async () => (await feed.after(0, 100_000)).frames;
    const polled = async () => (await frames()).includes(customerId) && (await frames()).includes(bystander);
    for (let i = 0; i < 50 && !(await polled()); i++) await feed.wait(100);
    expect(await polled()).toBe(true);

    const tablesHolding = async () => {
      const tables = (
        await all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      ).map((r) => String(r.name));
      const found: Record<string, string[]> = {};
      for (const table of tables) {
        for (const row of await all(`SELECT * FROM "${table}"`)) {
          // The erasure's own record: a tombstone that says when, and nothing else.
          if (table === "identity_events" && row.details === '{"erased":true}') continue;
          const text = Object.values(row)
            .map((v) => (v instanceof ArrayBuffer ? Buffer.from(v).toString("latin1") : String(v)))
            .join("\u0000");
          for (const m of markers) if (text.includes(m)) (found[table] ??= []).push(m);
        }
      }
      return found;
    };
    const before = await tablesHolding();
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining([
        "customers",
        "identities",
        "interactions",
        "journey_events",
        "merges",
        "moments",
        "moment_events",
        "webhook_deliveries",
        "identity_events",
        "scoring_backlog",
        "verdicts",
      ]),
    );

    const res = await h.request("DELETE", `/v1/customers/${customerId}`, { key: h.keys.admin });
    expect(res.status).toBe(200);
    expect((await res.json()).erased).toMatchObject({ customer: true, moments: 2, verdicts: 2 });
    expect(await tablesHolding()).toEqual({});
    const tombstones = await all("SELECT action, details FROM identity_events WHERE customer_id IN (?, ?)", people);
    expect(tombstones.length).toBeGreaterThan(0);
    expect(tombstones.every((t) => t.details === '{"erased":true}')).toBe(true);
    // Nothing erased is sent to a live client again; the bystander's events still are.
    const left = await frames();
    for (const m of markers) expect(left).not.toContain(m);
    expect(left).toContain(bystander);
  });

  it("refuses to erase a customer merged into another, naming the one that holds its records", async () => {
    await h.request("POST", "/v1/interactions", {
      body: chatInput({ customer: { customerId: "crm-merge-a" }, occurredAt: "2026-06-01T09:00:00Z" }),
    });
    await h.request("POST", "/v1/interactions", {
      body: chatInput({ customer: { phone: "+44 7700 900654" }, occurredAt: "2026-06-01T09:05:00Z" }),
    });
    await h.request("POST", "/v1/interactions", {
      body: chatInput({
        customer: { customerId: "crm-merge-a", phone: "+447700900654" },
        occurredAt: "2026-06-01T09:10:00Z",
      }),
    });
    const survivor = await customerOf("crm-merge-a");
    const [merged] = await all("SELECT id FROM customers WHERE merged_into = ?", [survivor]);
    for (const path of [
      `/v1/customers/${merged.id}`,
      `/v1/customers/${merged.id}/data?from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z`,
    ]) {
      const res = await h.request("DELETE", path, { key: h.keys.admin });
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect((await res.json()).detail).toContain(survivor);
    }
  });
});
