import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readsFromReplica, withReplicaReads } from "../src/db/read-routing.js";
import { chatInput, eventInput, socialInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";
import { receiver } from "./support/receiver.js";
import { hasSqld, startSqld, type SqldServer } from "./support/sqld.js";

/** How stale a replica read may be (docs/scaling.md "Replicas"); measured lags here are tens of ms. */
const STALENESS_BOUND_MS = 1000;

/** Polls `check` until it holds; returns how long that took, failing past the staleness bound. */
async function lagUntil(check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    const waited = performance.now() - started;
    if (waited > STALENESS_BOUND_MS) throw new Error(`the replica trailed for more than ${STALENESS_BOUND_MS} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

// A libSQL primary and a replica of it (sqld --primary-grpc-url) on 127.0.0.1, and two Earshot nodes
// writing to the primary and reading from the replica. `.ci/run` provides the server binary; a machine
// without one skips this file, CI never does.
describe.runIf(hasSqld() || !!process.env.CI)("a primary and a replica (DATABASE_REPLICA_URL)", () => {
  let primary: SqldServer;
  let replica: SqldServer;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    primary = await startSqld({ grpc: true });
    replica = await startSqld({ primaryGrpcUrl: primary.grpcUrl });
    const env = {
      DATABASE_URL: primary.url,
      DATABASE_REPLICA_URL: replica.url,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    };
    a = await createHarness(env);
    b = await createHarness(env);
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await replica?.stop();
    await primary?.stop();
  });

  it("answers read-only requests from the replica: they are served while the primary is stopped", async () => {
    const customer = { customerId: "crm-replica-read", email: "replica.read@example.com" };
    const posted = await (await a.request("POST", "/v1/interactions", { body: chatInput({ customer }) })).json();
    await lagUntil(async () => (await b.request("GET", `/v1/interactions/${posted.id}`)).status === 200);
    primary.proc.kill("SIGSTOP");
    try {
      const timeline = await b.request("GET", `/v1/customers/${posted.customerId}/timeline`);
      expect(timeline.status).toBe(200);
      expect((await timeline.json()).items.map((i: { id: string }) => i.id)).toContain(posted.id);
      expect((await b.request("GET", `/v1/customers/${posted.customerId}`)).status).toBe(200);
    } finally {
      primary.proc.kill("SIGCONT");
    }
  });

  it("reads a request's own writes from the primary: once it writes, the replica is out of its path", async () => {
    replica.proc.kill("SIGSTOP");
    try {
      await withReplicaReads(async () => {
        expect(readsFromReplica()).toBe(true);
        const id = `cus_ryw${Date.now()}`;
        await a.runtime.db.write(({ client }) =>
          client.execute({
            sql: "INSERT INTO customers (id, display_name, created_at, updated_at) VALUES (?, NULL, ?, ?)",
            args: [id, Date.now(), Date.now()],
          }),
        );
        expect(readsFromReplica()).toBe(false);
        // With the replica stopped this read would hang; it goes to the primary and sees the row.
        const rs = await a.runtime.db.$client.execute({ sql: "SELECT id FROM customers WHERE id = ?", args: [id] });
        expect(rs.rows.map((r) => r.id)).toEqual([id]);
      });
    } finally {
      replica.proc.kill("SIGCONT");
    }
  });

  it(`shows a write on one node to reads on the other within ${STALENESS_BOUND_MS} ms`, async () => {
    const lags: number[] = [];
    for (let i = 0; i < 20; i++) {
      const body = socialInput({ customer: { customerId: `crm-lag-${i}` }, text: `Card declined again, try ${i}.` });
      const posted = await (await a.request("POST", "/v1/interactions", { body })).json();
      lags.push(await lagUntil(async () => (await b.request("GET", `/v1/interactions/${posted.id}`)).status === 200));
    }
    lags.sort((x, y) => x - y);
    expect(lags[lags.length - 1]).toBeLessThan(STALENESS_BOUND_MS);
  });

  it("keeps idempotency, moments, one outbox drained once and erasure across the nodes", async () => {
    const rx = await receiver(204);
    try {
      const hook = await a.request("POST", "/v1/webhooks", {
        key: a.keys.admin,
        body: { url: rx.url, events: ["moment.flagged"] },
      });
      expect(hook.status).toBe(201);
      const customer = { customerId: "crm-replica-1", email: "replica.one@example.com" };
      const event = eventInput({
        customer,
        type: "transaction",
        name: "withdrawal",
        status: "failed",
        occurredAt: "2026-03-10T09:02:00Z",
      });
      expect((await a.request("POST", "/v1/events", { body: event })).status).toBe(201);
      const chat = chatInput({
        customer,
        occurredAt: "2026-03-10T09:03:00Z",
        session: { waitSeconds: 60 },
        turns: [{ speaker: "customer", text: "My withdrawal failed and nobody answers. Ridiculous!" }],
      });
      // Writes read the primary: the retry through the other node finds the record at once.
      const first = await a.request("POST", "/v1/interactions", { body: chat });
      const retry = await b.request("POST", "/v1/interactions", { body: chat });
      expect([first.status, retry.status]).toEqual([201, 200]);
      const { id, customerId } = await first.json();
      expect((await retry.json()).id).toBe(id);
      const post = socialInput({
        customer,
        occurredAt: "2026-03-10T09:20:00Z",
        text: "Worst bank ever, refund me or I close my account.",
      });
      expect((await b.request("POST", "/v1/interactions", { body: post })).status).toBe(201);
      await a.runtime.momentQueue.idle();
      await b.runtime.momentQueue.idle();

      const momentsOn = async (h: Harness) =>
        (await (await h.request("GET", `/v1/moments?customerId=${customerId}`)).json()).items as unknown[];
      await lagUntil(async () => (await momentsOn(a)).length === 1 && (await momentsOn(b)).length === 1);

      // Both nodes' delivery workers at once: the lease (on the primary) sends each delivery once.
      await Promise.all([a.runtime.deliveries.runOnce(), b.runtime.deliveries.runOnce()]);
      expect(rx.types()).toEqual(["moment.flagged"]);

      expect((await b.request("DELETE", `/v1/customers/${customerId}`, { key: b.keys.admin })).status).toBe(200);
      await lagUntil(async () => (await a.request("GET", `/v1/interactions/${id}`)).status === 404);
      expect((await a.request("GET", `/v1/customers/${customerId}`)).status).toBe(404);
      expect(await momentsOn(b)).toEqual([]);
      // Nothing of the customer is left on the primary, nor on the replica it feeds.
      for (const url of [primary.url, replica.url]) {
        const direct = createClient({ url });
        const left = await direct.execute({
          sql: "SELECT (SELECT count(*) FROM interactions WHERE customer_id = ?) + (SELECT count(*) FROM journey_events WHERE customer_id = ?) + (SELECT count(*) FROM moments WHERE customer_id = ?) AS n",
          args: [customerId, customerId, customerId],
        });
        direct.close();
        expect(Number(left.rows[0].n)).toBe(0);
      }
    } finally {
      await rx.close();
    }
  }, 60_000);
});
