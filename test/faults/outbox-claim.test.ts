import { createServer } from "node:http";
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
    const hook = await (
      await h.request("POST", "/v1/webhooks", { key: h.keys.admin, body: { url, events: ["moment.flagged"] } })
    ).json();
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
    const rows = (
      await h.runtime.db.$client.execute(
        "SELECT count(*) AS n FROM webhook_deliveries WHERE id LIKE 'msg_claim_%' AND status = 'delivered'",
      )
    ).rows[0];
    expect(Number(rows.n)).toBe(60);
  });
});

describe("webhook passes in one process", () => {
  it("send a delivery queued while an earlier pass waits on a slow receiver", async () => {
    await h.runtime.deliveries.stop(); // only the worker under test sends
    let releaseSlow: () => void = () => {};
    const arrived: Array<{ id: string; at: number }> = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        arrived.push({ id: String(req.headers["webhook-id"]), at: Date.now() });
        if (req.url === "/slow") releaseSlow = () => res.writeHead(204).end();
        else res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const slow = await (
      await h.request("POST", "/v1/webhooks", {
        key: h.keys.admin,
        body: { url: `${base}/slow`, events: ["moment.flagged"] },
      })
    ).json();
    const fast = await (
      await h.request("POST", "/v1/webhooks", {
        key: h.keys.admin,
        body: { url: `${base}/fast`, events: ["moment.flagged"] },
      })
    ).json();
    const queue = (id: string, hookId: string) =>
      h.runtime.db.write(({ client }) =>
        client.execute({
          sql: "INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'moment.flagged', '{}', 'pending', 0, ?, ?)",
          args: [id, hookId, Date.now(), Date.now()],
        }),
      );
    const worker = new DeliveryWorker(h.runtime.db, createLogger("silent"), { allowPrivate: true, pollMs: 60_000 });
    worker.start();
    try {
      await queue("msg_slow", slow.id);
      worker.nudge();
      await waitFor(() => arrived.some((a) => a.id === "msg_slow"));
      // The first pass now waits for the slow receiver's answer; new work must not wait behind it.
      await queue("msg_fast", fast.id);
      worker.nudge();
      await waitFor(() => arrived.some((a) => a.id === "msg_fast"), 3000);
      expect(arrived.map((a) => a.id)).toEqual(["msg_slow", "msg_fast"]);
    } finally {
      releaseSlow();
      await worker.stop();
      await new Promise<void>((r) => server.close(() => r()));
    }
    const delivered = await h.runtime.db.$client.execute(
      "SELECT id FROM webhook_deliveries WHERE id IN ('msg_slow', 'msg_fast') AND status = 'delivered' ORDER BY id",
    );
    expect(delivered.rows.map((r) => r.id)).toEqual(["msg_fast", "msg_slow"]);
  });
});

async function waitFor(ok: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 10));
  }
}
