import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";
import { json, parsed, problem } from "../support/http.js";
import { momentSchema } from "../../src/contracts/moments.js";
import { identityConflictPage } from "../../src/contracts/identity-conflicts.js";

// A merge folds the two customers' live moments into one; unmerge splits them back and is remembered,
// so the next record carrying both identifiers raises a conflict instead of merging them again.

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const settle = () => h.runtime.momentQueue.idle();
const post = async (path: string, body: unknown) =>
  json<{ id: string; customerId: string }>(await h.request("POST", path, { body }));
const moment = async (id: string) => parsed(await h.request("GET", `/v1/moments/${id}`), momentSchema);
const liveOf = async (customerId: string) =>
  (
    await json<{ items: Array<{ id: string }> }>(
      await h.request("GET", `/v1/moments?customerId=${customerId}&status=open`),
    )
  ).items;
const conflicts = async (qs = "") =>
  parsed(await h.request("GET", `/v1/identity-conflicts${qs}`, { key: h.keys.read }), identityConflictPage);

describe("merging customers' moments", () => {
  let a: { customerId: string };
  let b: { id: string; customerId: string };
  let ma: string;
  let mb: string;
  const bridge = () =>
    post(
      "/v1/interactions",
      chatInput({
        customer: { email: "lena.fold@example.com", phone: "+447700900777" },
        occurredAt: "2026-03-05T10:30:00Z",
        turns: [{ speaker: "customer", text: "Just checking in on the two problems." }],
      }),
    );

  it("folds both customers' open moments into one, with the reasons and records of both", async () => {
    await post(
      "/v1/events",
      eventInput({
        customer: { email: "lena.fold@example.com" },
        type: "transaction",
        name: "withdrawal",
        status: "failed",
        occurredAt: "2026-03-05T09:00:00Z",
      }),
    );
    a = await post(
      "/v1/interactions",
      chatInput({
        customer: { email: "lena.fold@example.com" },
        occurredAt: "2026-03-05T09:01:00Z",
        turns: [{ speaker: "customer", text: "My withdrawal failed and nobody helps. Ridiculous!" }],
      }),
    );
    b = await post(
      "/v1/interactions",
      socialInput({
        customer: { phone: "+447700900777" },
        occurredAt: "2026-03-05T09:30:00Z",
        text: "Worst bank ever, charged twice and nobody calls back. Closing my account!",
      }),
    );
    await settle();
    expect(a.customerId).not.toBe(b.customerId);
    [ma] = (await liveOf(a.customerId)).map((m) => m.id);
    [mb] = (await liveOf(b.customerId)).map((m) => m.id);
    expect(ma).toBeDefined();
    expect(mb).toBeDefined();
    const before = { a: await moment(ma), b: await moment(mb) };

    const r = await bridge();
    await settle();
    expect(r.customerId).toBe(a.customerId);
    const kept = await moment(ma);
    const folded = await moment(mb);
    expect(folded.mergedInto).toBe(ma);
    expect(kept.customerId).toBe(a.customerId);
    const refs = (m: typeof kept) => new Set(m.reasons.flatMap((x) => x.refs));
    for (const ref of refs(before.b)) expect(refs(kept).has(ref)).toBe(true);
    for (const ref of refs(before.a)) expect(refs(kept).has(ref)).toBe(true);
    const codes = new Set(kept.reasons.map((x) => x.code));
    for (const x of [...before.a.reasons, ...before.b.reasons]) expect(codes.has(x.code)).toBe(true);
    expect(kept.channels.sort()).toEqual(expect.arrayContaining(["chat", "social"]));
    const queue = await json<{ items: Array<{ id: string }> }>(await h.request("GET", "/v1/moments/queue"));
    expect(queue.items.map((m) => m.id)).toEqual([ma]);
    expect(await liveOf(b.customerId)).toEqual([]);
  });

  it("splits them back on unmerge and remembers it: the next shared record raises a conflict", async () => {
    const undone = await h.request("POST", `/v1/customers/${a.customerId}/unmerge`, { key: h.keys.admin });
    expect(undone.status).toBe(200);
    const restored = await moment(mb);
    expect(restored).toMatchObject({ mergedInto: null, customerId: b.customerId, status: "open" });
    expect((await moment(ma)).reasons.flatMap((x) => x.refs)).not.toContain(b.id);
    const queue = await json<{ items: Array<{ id: string }> }>(await h.request("GET", "/v1/moments/queue"));
    expect(queue.items.map((m) => m.id).sort()).toEqual([ma, mb].sort());

    const again = await bridge();
    await settle();
    expect((await h.request("GET", `/v1/customers/${b.customerId}`)).status).toBe(200); // not merged
    expect(again.customerId).toBe(a.customerId);
    let page = await conflicts();
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      status: "open",
      customer: { id: a.customerId, label: "lena.fold@example.com" },
      other: { id: b.customerId, label: "+447700900777" },
      evidence: { records: 1 },
    });
    await bridge();
    page = await conflicts();
    expect(page.items).toHaveLength(1);
    expect(page.items[0].evidence.records).toBe(2);
    const history = await json<{ items: Array<{ action: string }> }>(
      await h.request("GET", `/v1/customers/${b.customerId}/identity-history`),
    );
    expect(history.items.map((e) => e.action)).toContain("merge_conflict");
  });

  it("lets an admin dismiss a conflict, refusing read keys, unknown ids, repeats and bad filters", async () => {
    const [c] = (await conflicts()).items;
    expect((await h.request("POST", `/v1/identity-conflicts/${c.id}/dismiss`, { key: h.keys.read })).status).toBe(403);
    expect((await h.request("POST", `/v1/identity-conflicts/${c.id}/dismiss`, { key: null })).status).toBe(401);
    await problem(
      await h.request("POST", "/v1/identity-conflicts/icf_none/dismiss", { key: h.keys.admin }),
      "not_found",
    );
    const ok = await h.request("POST", `/v1/identity-conflicts/${c.id}/dismiss`, { key: h.keys.admin });
    expect(await json(ok)).toEqual({ id: c.id, status: "dismissed" });
    await problem(await h.request("POST", `/v1/identity-conflicts/${c.id}/dismiss`, { key: h.keys.admin }), "conflict");
    expect((await conflicts()).items).toHaveLength(0);
    expect((await conflicts("?status=dismissed")).items.map((x) => x.id)).toEqual([c.id]);
    const bad = await h.request("GET", "/v1/identity-conflicts?status=maybe", { key: h.keys.read });
    expect((await problem(bad, "validation_failed")).errors?.[0].field).toBe("status");
  });

  it("merges by hand despite the block, which a person's merge lifts", async () => {
    const res = await h.request("POST", `/v1/customers/${a.customerId}/merge`, {
      key: h.keys.admin,
      body: { customerId: b.customerId },
    });
    expect(res.status).toBe(200);
    expect((await moment(mb)).mergedInto).toBe(ma);
    const n = await h.runtime.db.$client.execute("SELECT count(*) AS n FROM merge_blocks");
    expect(Number(n.rows[0].n)).toBe(0);
  });

  it("erases conflicts and merge blocks with the customer they name", async () => {
    const count = async (table: string) =>
      Number((await h.runtime.db.$client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    expect(await count("identity_conflicts")).toBeGreaterThan(0);
    expect((await h.request("DELETE", `/v1/customers/${a.customerId}`, { key: h.keys.admin })).status).toBe(200);
    expect(await count("identity_conflicts")).toBe(0);
    expect(await count("merge_blocks")).toBe(0);
  });
});
