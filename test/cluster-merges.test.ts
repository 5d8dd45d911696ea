import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { momentSchema } from "../src/contracts/moments.js";
import { socialInput } from "./support/factories.js";
import { json, parsed } from "./support/http.js";
import { createHarness, type Harness } from "./support/harness.js";
import { hasSqld, startSqld, type SqldServer } from "./support/sqld.js";

// Chained merges through a libSQL primary, with a replica and two nodes: a customer who already holds
// a merged customer is merged into a third, so the moment that already holds a fold is folded again.
// Folds are worked out on the client against the live moments read once per batch (LiveMoments in
// src/services/moments/merge-moments.ts) and written in the merge's batch: here they cross nodes, go
// through sqld as one batch, and reach the other node through the replica.

/** How stale a replica read may be (docs/scaling.md "Replicas"). */
const STALENESS_BOUND_MS = 1000;

async function eventually<T>(read: () => Promise<T>, holds: (v: T) => boolean): Promise<T> {
  const started = performance.now();
  for (;;) {
    const v = await read();
    if (holds(v)) return v;
    if (performance.now() - started > STALENESS_BOUND_MS) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.runIf(hasSqld() || !!process.env.CI)(
  "chained merges and folds through sqld (primary, replica, two nodes)",
  () => {
    let primary: SqldServer;
    let replica: SqldServer;
    let a: Harness;
    let b: Harness;
    beforeAll(async () => {
      primary = await startSqld({ grpc: true });
      replica = await startSqld({ primaryGrpcUrl: primary.grpcUrl });
      const env = { DATABASE_URL: primary.url, DATABASE_REPLICA_URL: replica.url };
      a = await createHarness(env);
      b = await createHarness(env);
    }, 60_000);
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await replica?.stop();
      await primary?.stop();
    });

    const angry = (customer: Record<string, string>, occurredAt: string, text: string) =>
      socialInput({ customer, occurredAt, authorHandle: undefined, text });
    const post = async (h: Harness, body: unknown) =>
      json<{ id: string; customerId: string }>(await h.request("POST", "/v1/interactions", { body }));
    const moment = async (h: Harness, id: string) => parsed(await h.request("GET", `/v1/moments/${id}`), momentSchema);
    const liveOf = async (h: Harness, customerId: string) =>
      (
        await json<{ items: Array<{ id: string }> }>(
          await h.request("GET", `/v1/moments?customerId=${customerId}&status=open`),
        )
      ).items.map((m) => m.id);
    const refsOf = (m: { reasons: Array<{ refs: string[] }> }) => new Set(m.reasons.flatMap((r) => r.refs));
    /** The moment a folded one ended in: its merged_into, followed to the end. */
    const endOf = async (h: Harness, id: string): Promise<string> => {
      const m = await moment(h, id);
      return m.mergedInto ? endOf(h, m.mergedInto) : id;
    };

    it("folds a moment that holds a fold into a third customer's, across nodes, and unmerges one step", async () => {
      // C is the oldest customer, so it survives both merges; B merges into A first.
      const c = await post(
        a,
        angry(
          { customerId: "crm-chain-c" },
          "2026-03-12T09:00:00Z",
          "Worst bank ever, charged twice and nobody calls back. Closing my account!",
        ),
      );
      const pa = await post(
        a,
        angry(
          { email: "chain.a@example.com" },
          "2026-03-12T09:05:00Z",
          "Card declined again and no one answers. Ridiculous, I want a refund!",
        ),
      );
      const pb = await post(
        b,
        angry(
          { phone: "+447700900123" },
          "2026-03-12T09:10:00Z",
          "Terrible service, my transfer vanished. I am going to complain to the ombudsman!",
        ),
      );
      const [mc] = await eventually(
        () => liveOf(a, c.customerId),
        (ids) => ids.length === 1,
      );
      const [ma] = await eventually(
        () => liveOf(a, pa.customerId),
        (ids) => ids.length === 1,
      );
      const [mb] = await eventually(
        () => liveOf(b, pb.customerId),
        (ids) => ids.length === 1,
      );
      expect([mc, ma, mb].every(Boolean)).toBe(true);

      // Node a: one record with A's email and B's phone merges B into A and folds mb into ma.
      const first = await post(
        a,
        angry(
          { email: "chain.a@example.com", phone: "+447700900123" },
          "2026-03-12T09:20:00Z",
          "Still nothing on either problem.",
        ),
      );
      expect(first.customerId).toBe(pa.customerId);
      expect(
        (
          await eventually(
            () => moment(a, mb),
            (m) => m.mergedInto !== null,
          )
        ).mergedInto,
      ).toBe(ma);

      // Node b: a record with B's phone (now A's) and C's id merges A, holding B, into C.
      const second = await post(
        b,
        angry(
          { phone: "+447700900123", customerId: "crm-chain-c" },
          "2026-03-12T09:30:00Z",
          "Third time writing. Nobody cares.",
        ),
      );
      expect(second.customerId).toBe(c.customerId);

      // Both nodes, reading the replica, see one live moment holding the reasons of all three.
      for (const h of [a, b]) {
        const live = await eventually(
          () => liveOf(h, c.customerId),
          (ids) => ids.length === 1 && ids[0] === mc,
        );
        expect(live).toEqual([mc]);
        expect(
          await eventually(
            () => liveOf(h, pa.customerId),
            (ids) => ids.length === 0,
          ),
        ).toEqual([]);
        expect(
          await eventually(
            () => liveOf(h, pb.customerId),
            (ids) => ids.length === 0,
          ),
        ).toEqual([]);
        const kept = await moment(h, mc);
        const refs = refsOf(kept);
        for (const id of [c.id, pa.id, pb.id]) expect(refs.has(id)).toBe(true);
        expect(kept.customerId).toBe(c.customerId);
        expect(
          await eventually(
            () => endOf(h, ma),
            (end) => end === mc,
          ),
        ).toBe(mc);
        expect(await endOf(h, mb)).toBe(mc);
        const queue = await json<{ items: Array<{ id: string }> }>(await h.request("GET", "/v1/moments/queue"));
        expect(queue.items.map((m) => m.id).filter((id) => [mc, ma, mb].includes(id))).toEqual([mc]);
      }

      // Unmerging C undoes the second merge only: A comes back with B still in it, ma with mb's reasons.
      const undone = await b.request("POST", `/v1/customers/${c.customerId}/unmerge`, { key: b.keys.admin });
      expect(undone.status).toBe(200);
      const restored = await eventually(
        () => moment(a, ma),
        (m) => m.mergedInto === null,
      );
      expect(restored).toMatchObject({ mergedInto: null, customerId: pa.customerId, status: "open" });
      expect(refsOf(restored).has(pb.id)).toBe(true);
      expect((await moment(a, mb)).mergedInto).toBe(ma);
      expect(refsOf(await moment(a, mc)).has(pa.id)).toBe(false);
    }, 60_000);

    it("folds a chain of merges made by one batch, written as one libSQL batch", async () => {
      // Three customers with open moments, then one batch whose records merge E into D and F into D (E's
      // phone and F's id): the second fold folds what the first left.
      const d = await post(
        b,
        angry(
          { customerId: "crm-batch-d" },
          "2026-03-13T09:00:00Z",
          "Worst bank ever, charged twice and nobody calls back. Closing my account!",
        ),
      );
      const e = await post(
        a,
        angry(
          { email: "batch.e@example.com" },
          "2026-03-13T09:05:00Z",
          "Card declined again and no one answers. Ridiculous, I want a refund!",
        ),
      );
      const f = await post(
        b,
        angry(
          { phone: "+447700900456" },
          "2026-03-13T09:10:00Z",
          "Terrible service, my transfer vanished. I am going to complain to the ombudsman!",
        ),
      );
      const [md] = await eventually(
        () => liveOf(b, d.customerId),
        (ids) => ids.length === 1,
      );
      const [me] = await eventually(
        () => liveOf(a, e.customerId),
        (ids) => ids.length === 1,
      );
      const [mf] = await eventually(
        () => liveOf(b, f.customerId),
        (ids) => ids.length === 1,
      );
      expect([md, me, mf].every(Boolean)).toBe(true);
      const res = await a.request("POST", "/v1/interactions/batch", {
        body: {
          items: [
            angry({ email: "batch.e@example.com", phone: "+447700900456" }, "2026-03-13T09:20:00Z", "Still nothing."), // F into E
            angry({ phone: "+447700900456", customerId: "crm-batch-d" }, "2026-03-13T09:21:00Z", "Nobody cares."), // E (holding F) into D
          ],
        },
      });
      expect(res.status).toBe(200);
      const { results } = (await res.json()) as { results: Array<{ status: number; customerId: string }> };
      expect(results.map((r) => [r.status, r.customerId])).toEqual([
        [201, e.customerId],
        [201, d.customerId],
      ]);
      for (const h of [a, b]) {
        const live = await eventually(
          () => liveOf(h, d.customerId),
          (ids) => ids.length === 1,
        );
        expect(live).toEqual([md]);
        expect(
          await eventually(
            () => endOf(h, me),
            (end) => end === md,
          ),
        ).toBe(md);
        expect(await endOf(h, mf)).toBe(md);
        const refs = refsOf(await moment(h, md));
        for (const id of [d.id, e.id, f.id]) expect(refs.has(id)).toBe(true);
      }
      // Two merges, two moment.merged events, one live moment: on the primary and on the replica it feeds.
      for (const url of [primary.url, replica.url]) {
        const direct = createClient({ url });
        const rs = await eventually(
          () =>
            direct.execute({
              sql: "SELECT count(*) AS n FROM moments WHERE id IN (?, ?, ?) AND merged_into IS NULL AND status = 'open'",
              args: [md, me, mf],
            }),
          (r) => Number(r.rows[0].n) === 1,
        );
        direct.close();
        expect(Number(rs.rows[0].n)).toBe(1);
      }
    }, 60_000);
  },
);
