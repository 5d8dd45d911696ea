// Moments reach webhooks: private addresses refused unless allowed, moment.flagged signed (Standard
// Webhooks) and retried until a receiver that was down comes back.
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { createHarness, type Harness } from "../support/harness.js";
import { appErrorThenPost } from "../support/journeys.js";
import { receiver } from "../support/receiver.js";
import { DeliveryWorker } from "../../src/services/webhooks/delivery-worker.js";
import { createLogger } from "../../src/lib/logger.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
});
afterAll(() => h.close());

const settle = () => h.runtime.momentQueue.idle();

describe("webhooks", () => {
  it("refuses private addresses unless allowed", async () => {
    const strict = await createHarness();
    try {
      const res = await strict.request("POST", "/v1/webhooks", {
        key: strict.keys.admin,
        body: { url: "http://127.0.0.1:9/hook", events: ["moment.flagged"] },
      });
      expect(res.status).toBe(422);
      expect((await res.json()).errors[0]).toMatchObject({ field: "url", message: expect.stringContaining("private") });
      expect(
        (
          await strict.request("POST", "/v1/webhooks", {
            key: strict.keys.admin,
            body: { url: "http://169.254.169.254/latest", events: ["moment.flagged"] },
          })
        ).status,
      ).toBe(422);
      expect(
        (
          await strict.request("POST", "/v1/webhooks", {
            key: strict.keys.read,
            body: { url: "https://example.com/h", events: ["moment.flagged"] },
          })
        ).status,
      ).toBe(403);
    } finally {
      await strict.close();
    }
  });

  it("delivers signed moment.flagged events, retrying until a receiver that was down comes back", async () => {
    const rx = await receiver();
    const reg = await h.request("POST", "/v1/webhooks", {
      key: h.keys.admin,
      body: { url: rx.url, events: ["moment.flagged", "moment.resolved"] },
    });
    expect(reg.status).toBe(201);
    const hook = await reg.json();
    expect(hook.secret).toMatch(/^whsec_/);

    const customer = { customerId: "crm-hook-1" };
    await appErrorThenPost(h, customer, {
      errorAt: "2026-03-12T08:00:00Z",
      postAt: "2026-03-12T08:05:00Z",
      text: "Your app crashed again and took my money. I want a manager NOW. Disgraceful!",
    });
    await settle();

    // The receiver is down for the first attempt.
    await rx.close();
    const worker = new DeliveryWorker(h.runtime.db, createLogger("silent"), { allowPrivate: true, timeoutMs: 1000 });
    expect(await worker.runOnce()).toBeGreaterThan(0);
    let deliveries = (
      await (await h.request("GET", `/v1/webhooks/${hook.id}/deliveries`, { key: h.keys.admin })).json()
    ).items;
    expect(deliveries[0]).toMatchObject({
      eventType: "moment.flagged",
      status: "pending",
      attempts: 1,
      lastError: expect.any(String),
    });

    // It comes back on the same port; the retry (due later) lands.
    const back = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        rx.got.push({ headers: req.headers as Record<string, string>, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => back.listen(rx.port, "127.0.0.1", r));
    const later = new DeliveryWorker(h.runtime.db, createLogger("silent"), {
      allowPrivate: true,
      clock: () => new Date(Date.now() + 3_600_000),
    });
    await later.runOnce();
    await new Promise<void>((r) => back.close(() => r()));

    deliveries = (await (await h.request("GET", `/v1/webhooks/${hook.id}/deliveries`, { key: h.keys.admin })).json())
      .items;
    expect(deliveries[0]).toMatchObject({ status: "delivered", attempts: 2 });
    expect(rx.got).toHaveLength(1);
    const { headers, body } = rx.got[0];
    const event = new Webhook(hook.secret).verify(body, {
      "webhook-id": headers["webhook-id"],
      "webhook-timestamp": headers["webhook-timestamp"],
      "webhook-signature": headers["webhook-signature"],
    }) as { type: string; data: { reasons: unknown[] } };
    expect(event.type).toBe("moment.flagged");
    expect(event.data.reasons.length).toBeGreaterThan(0);
    expect(() => new Webhook(hook.secret).verify(body.replace("flagged", "resolved"), headers as never)).toThrow();
  });
});
