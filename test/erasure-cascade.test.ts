import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.js";
import { DeliveryWorker } from "../src/services/webhooks/delivery-worker.js";
import { chatInput, eventInput, socialInput } from "./support/factories.js";
import { erasureKit } from "./support/erasure-kit.js";
import { createHarness, type Harness } from "./support/harness.js";
import { receiver } from "./support/receiver.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
});
afterAll(() => h.close());

const { settle, all, customerOf, troubledJourney } = erasureKit(() => h);

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
