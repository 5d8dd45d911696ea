import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../src/db/client.js";
import { createLogger } from "../../src/lib/logger.js";
import { DeliveryWorker } from "../../src/services/webhooks/delivery-worker.js";
import { createHarness, type Harness } from "../support/harness.js";
import { receiver } from "../support/receiver.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
});
afterAll(() => h.close());

describe("the webhook outbox with several processes", () => {
  it("delivers each message once when two processes' workers run at the same time", async () => {
    const rx = await receiver(204);
    const url = rx.url;
    const hook = await (await h.request("POST", "/v1/webhooks", { key: h.keys.admin, body: { url, events: ["moment.flagged"] } })).json();
    const now = Date.now();
    await h.runtime.db.write(async ({ client }) => {
      for (let i = 0; i < 60; i++) {
        await client.execute({
          sql: "INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'moment.flagged', '{}', 'pending', 0, ?, ?)",
          args: [`msg_claim_${i}`, hook.id, now, now],
        });
      }
    });
    // A second process: its own connections and write lock over the same file.
    const other = await openDb({ url: `file:${join(h.dir, "test.db")}` });
    const a = new DeliveryWorker(h.runtime.db, createLogger("silent"), { allowPrivate: true });
    const b = new DeliveryWorker(other, createLogger("silent"), { allowPrivate: true });
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    other.$client.close();
    await rx.close();
    const got = rx.got.map((g) => g.headers["webhook-id"]);
    expect(got.length).toBe(60);
    expect(new Set(got).size).toBe(60);
    const rows = (await h.runtime.db.$client.execute("SELECT count(*) AS n FROM webhook_deliveries WHERE id LIKE 'msg_claim_%' AND status = 'delivered'")).rows[0];
    expect(Number(rows.n)).toBe(60);
  });
});
