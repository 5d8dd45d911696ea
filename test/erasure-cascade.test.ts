import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.js";
import { DeliveryWorker } from "../src/services/webhooks/delivery-worker.js";
import { chatInput, emailInput, eventInput, socialInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";
import { receiver } from "./support/receiver.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
});
afterAll(() => h.close());

type Row = Record<string, unknown>;
const settle = () => h.runtime.momentQueue.idle();
const all = async (sql: string, args: Array<string | number> = []) =>
  (await h.runtime.db.$client.execute({ sql, args })).rows as unknown as Row[];
const customerOf = async (crmId: string) =>
  String(
    (await all("SELECT customer_id FROM identities WHERE kind = 'customer_id' AND value = ?", [crmId]))[0].customer_id,
  );

/** A failed withdrawal, then a furious public post minutes later: a moment, with the post's id. */
async function troubledJourney(customer: Record<string, unknown>, day: string) {
  await h.request("POST", "/v1/events", {
    body: eventInput({ customer, type: "error", status: "shown", occurredAt: `${day}T08:00:00Z` }),
  });
  const post = await h.request("POST", "/v1/interactions", {
    body: socialInput({
      customer,
      authorHandle: `@h_${String(customer.customerId).replace(/-/g, "_")}_${day.replace(/-/g, "")}`,
      occurredAt: `${day}T08:05:00Z`,
      text: "Your app crashed again and took my money. I want a manager NOW. Disgraceful!",
    }),
  });
  await settle();
  return (await post.json()).id as string;
}

/** A server on `port` of 127.0.0.1 that records each body it gets. */
async function listenOn(port: number, got: string[]): Promise<Server> {
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return server;
}

describe("erasure and webhooks", () => {
  it("delivers nothing about an erased customer when a receiver that was down comes back", async () => {
    const rx = await receiver();
    const hook = await (
      await h.request("POST", "/v1/webhooks", {
        key: h.keys.admin,
        body: { url: rx.url, events: ["moment.flagged", "interaction.analyzed"] },
      })
    ).json();
    await rx.close();
    await troubledJourney({ customerId: "crm-hook-erased" }, "2026-04-01");
    await troubledJourney({ customerId: "crm-hook-kept" }, "2026-04-01");
    const erased = await customerOf("crm-hook-erased");
    const kept = await customerOf("crm-hook-kept");
    // The receiver is down: every delivery fails and stays pending.
    await new DeliveryWorker(h.runtime.db, createLogger("silent"), { allowPrivate: true, timeoutMs: 1000 }).runOnce();
    const pending = await all(
      "SELECT payload ->> '$.data.customerId' AS customer, status FROM webhook_deliveries WHERE webhook_id = ?",
      [hook.id],
    );
    expect(pending.filter((d) => d.customer === erased).length).toBeGreaterThanOrEqual(2);
    expect(pending.every((d) => d.status === "pending")).toBe(true);

    const res = await h.request("DELETE", `/v1/customers/${erased}`, { key: h.keys.admin });
    expect(res.status).toBe(200);
    expect((await res.json()).erased.deliveries).toBeGreaterThanOrEqual(2);

    const got: string[] = [];
    const back = await listenOn(rx.port, got);
    try {
      // Everything is due an hour later; send until nothing is.
      const later = new DeliveryWorker(h.runtime.db, createLogger("silent"), {
        allowPrivate: true,
        clock: () => new Date(Date.now() + 3_600_000),
      });
      while ((await later.runOnce()) > 0);
    } finally {
      await new Promise<void>((r) => back.close(() => r()));
    }
    const customers = got.map((b) => JSON.parse(b).data.customerId);
    expect(customers).toContain(kept);
    expect(customers).not.toContain(erased);
    expect(got.join("\n")).not.toContain(erased);
    expect(await all("SELECT id FROM webhook_deliveries WHERE payload LIKE ?", [`%${erased}%`])).toEqual([]);
  });
});

describe("time-range erasure", () => {
  it("removes a moment the erased records alone made, with its events and outbox rows", async () => {
    const hook = await (
      await h.request("POST", "/v1/webhooks", {
        key: h.keys.admin,
        body: {
          url: "http://127.0.0.1:9/never",
          events: ["moment.flagged", "moment.escalated", "interaction.analyzed"],
        },
      })
    ).json();
    const customer = { customerId: "crm-range-moment" };
    const january = await troubledJourney(customer, "2026-01-10");
    const customerId = await customerOf("crm-range-moment");
    const later = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({
          customer,
          occurredAt: "2026-02-20T10:00:00Z",
          turns: [{ speaker: "customer", text: "Thanks, all sorted now." }],
        }),
      })
    ).json();
    await settle();
    const [moment] = await all("SELECT id, reasons FROM moments WHERE customer_id = ?", [customerId]);
    expect(String(moment.reasons)).toContain(january);
    expect(
      (await all("SELECT seq FROM moment_events WHERE moment_id = ?", [String(moment.id)])).length,
    ).toBeGreaterThan(0);
    expect(
      (
        await all("SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND payload LIKE ?", [
          hook.id,
          `%${moment.id}%`,
        ])
      ).length,
    ).toBeGreaterThan(0);

    const res = await h.request(
      "DELETE",
      `/v1/customers/${customerId}/data?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
      { key: h.keys.admin },
    );
    expect(res.status).toBe(200);
    expect((await res.json()).erased).toMatchObject({ interactions: 1, events: 1, moments: 1, momentsRescored: 0 });
    expect(await all("SELECT id FROM moments WHERE customer_id = ?", [customerId])).toEqual([]);
    expect(await all("SELECT seq FROM moment_events WHERE moment_id = ?", [String(moment.id)])).toEqual([]);
    expect(
      await all("SELECT id FROM webhook_deliveries WHERE payload LIKE ? OR payload LIKE ?", [
        `%${moment.id}%`,
        `%${january}%`,
      ]),
    ).toEqual([]);
    // The record outside the range and its delivery stay.
    expect((await h.request("GET", `/v1/interactions/${later.id}`)).status).toBe(200);
    expect(
      (
        await all("SELECT id FROM webhook_deliveries WHERE webhook_id = ? AND payload LIKE ?", [
          hook.id,
          `%${later.id}%`,
        ])
      ).length,
    ).toBe(1);
  });

  it("re-scores a moment from the records that remain, without the erased ones", async () => {
    const customer = { customerId: "crm-range-rescore" };
    // An angry public post that flags on its own, then a failed payment and a furious chat after a long wait.
    const post = await (
      await h.request("POST", "/v1/interactions", {
        body: socialInput({
          customer,
          authorHandle: "@rescore_me",
          occurredAt: "2026-03-20T09:00:00Z",
          text: "Worst bank ever, my money is stuck and nobody helps. Closing my account.",
        }),
      })
    ).json();
    await settle();
    const customerId = await customerOf("crm-range-rescore");
    const [first] = await all("SELECT id, severity, trigger_id FROM moments WHERE customer_id = ?", [customerId]);
    expect(first.trigger_id).toBe(post.id);
    await h.request("POST", "/v1/events", {
      body: eventInput({
        customer,
        type: "transaction",
        name: "payment",
        status: "failed",
        occurredAt: "2026-03-20T09:10:00Z",
      }),
    });
    const chat = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({
          customer,
          occurredAt: "2026-03-20T09:15:00Z",
          session: { waitSeconds: 1500 },
          turns: [
            {
              speaker: "customer",
              text: "My payment failed AGAIN and I waited 25 minutes. I want to make a complaint, this is a disgrace!",
            },
          ],
        }),
      })
    ).json();
    await settle();
    const [grown] = await all("SELECT id, reasons, trigger_id FROM moments WHERE customer_id = ?", [customerId]);
    expect(grown.id).toBe(first.id);
    expect(grown.trigger_id).toBe(chat.id);
    expect(String(grown.reasons)).toContain("long_wait");

    const res = await h.request(
      "DELETE",
      `/v1/customers/${customerId}/data?from=2026-03-20T09:05:00Z&to=2026-03-20T10:00:00Z`,
      { key: h.keys.admin },
    );
    expect((await res.json()).erased).toMatchObject({ interactions: 1, events: 1, moments: 0, momentsRescored: 1 });
    const [rescored] = await all("SELECT id, reasons, trigger_id FROM moments WHERE customer_id = ?", [customerId]);
    expect(rescored.id).toBe(first.id);
    expect(rescored.trigger_id).toBe(post.id);
    const reasons = JSON.parse(String(rescored.reasons)) as Array<{ code: string; refs: string[] }>;
    expect(reasons.map((r) => r.code)).not.toContain("long_wait");
    expect(reasons.flatMap((r) => r.refs).every((ref) => ref === post.id)).toBe(true);
    // Its event log and deliveries were computed with the erased records: gone.
    expect(await all("SELECT seq FROM moment_events WHERE moment_id = ?", [String(first.id)])).toEqual([]);
    expect(await all("SELECT id FROM webhook_deliveries WHERE payload LIKE ?", [`%${chat.id}%`])).toEqual([]);
  });
});

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
