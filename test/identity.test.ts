import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { callNoteInput, chatInput, eventInput, socialInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const post = async (path: string, body: unknown) => (await h.request("POST", path, { body })).json();
const admin = (method: string, path: string, body?: unknown) => h.request(method, path, { key: h.keys.admin, body });
const rowsOf = async (customerId: string) => {
  const q = async (table: string) =>
    (
      await h.runtime.db.$client.execute({
        sql: `SELECT id FROM ${table} WHERE customer_id = ? ORDER BY id`,
        args: [customerId],
      })
    ).rows.map((r) => String(r.id));
  return {
    identities: await q("identities"),
    interactions: await q("interactions"),
    events: await q("journey_events"),
  };
};
const timelineIds = async (id: string) =>
  (await (await h.request("GET", `/v1/customers/${id}/timeline`)).json()).items
    .filter((i: { kind: string }) => i.kind !== "moment")
    .map((i: { id: string }) => i.id);

describe("automatic merges", () => {
  it("merges two customers when one record carries both their identifiers, threads the timeline, and unmerges exactly", async () => {
    const a = await post(
      "/v1/interactions",
      chatInput({ customer: { email: "maria.merge@example.com" }, occurredAt: "2026-03-01T09:00:00Z" }),
    );
    const b = await post(
      "/v1/interactions",
      callNoteInput({ customer: { phone: "+44 7700 900555" }, occurredAt: "2026-03-01T10:00:00Z" }),
    );
    await post(
      "/v1/events",
      eventInput({ customer: { phone: "+44 7700 900555" }, occurredAt: "2026-03-01T10:05:00Z" }),
    );
    expect(a.customerId).not.toBe(b.customerId);
    const before = { a: await rowsOf(a.customerId), b: await rowsOf(b.customerId) };

    const bridge = await post(
      "/v1/interactions",
      socialInput({
        authorHandle: undefined,
        customer: { email: "maria.merge@example.com", phone: "+447700900555" },
        occurredAt: "2026-03-02T08:00:00Z",
      }),
    );
    expect(bridge.customerId).toBe(a.customerId); // the older customer survives

    expect(await timelineIds(a.customerId)).toEqual([a.id, b.id, expect.stringMatching(/^evt_/), bridge.id]);
    const redirect = await h.request("GET", `/v1/customers/${b.customerId}`);
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe(`/v1/customers/${a.customerId}`);
    // The merged customer's timeline points at the survivor's, answered from the same one statement.
    const timelineRedirect = await h.request("GET", `/v1/customers/${b.customerId}/timeline`);
    expect(timelineRedirect.status).toBe(307);
    expect(timelineRedirect.headers.get("location")).toBe(`/v1/customers/${a.customerId}/timeline`);
    const search = await (await h.request("GET", "/v1/customers?q=%2B447700900555")).json();
    expect(search.items.map((c: { id: string }) => c.id)).toEqual([a.customerId]);

    const history = (await (await h.request("GET", `/v1/customers/${a.customerId}/identity-history`)).json()).items;
    const merge = history.find((e: { action: string }) => e.action === "merge");
    expect(merge).toMatchObject({
      rule: "shared identifiers",
      actor: "system",
      details: { merged: b.customerId, moved: { identities: 1, interactions: 1, events: 1 } },
    });
    expect(merge.details.evidence.identifiers).toEqual(
      expect.arrayContaining([{ kind: "phone", value: "+447700900555", customerId: b.customerId }]),
    );
    expect(merge.details.evidence.record).toMatchObject({ kind: "interaction", externalId: expect.any(String) });

    expect((await h.request("POST", `/v1/customers/${a.customerId}/unmerge`, { key: h.keys.read })).status).toBe(403);
    const undone = await admin("POST", `/v1/customers/${a.customerId}/unmerge`);
    expect(undone.status).toBe(200);
    expect(await undone.json()).toMatchObject({
      restored: b.customerId,
      moved: { identities: 1, interactions: 1, events: 1 },
    });
    expect(await rowsOf(b.customerId)).toEqual(before.b);
    const afterA = await rowsOf(a.customerId);
    expect(afterA.interactions).toEqual([...before.a.interactions, bridge.id].sort());
    expect((await h.request("GET", `/v1/customers/${b.customerId}`)).status).toBe(200);
    const restored = (await (await h.request("GET", `/v1/customers/${b.customerId}/identity-history`)).json()).items;
    expect(restored.map((e: { action: string }) => e.action)).toEqual(["merged_into", "unmerge"]);
    // Who did what, by name: the rules for the merge, the admin's key for the unmerge.
    expect(restored.map((e: { actorName: string }) => e.actorName)).toEqual(["Earshot", "test admin (API key)"]);
    expect((await admin("POST", `/v1/customers/${a.customerId}/unmerge`)).status).toBe(404);
  });

  it("ignores blocked placeholder values and refuses a record that has only those", async () => {
    const r = await post(
      "/v1/interactions",
      chatInput({ customer: { email: "test@test.com", customerId: "crm-real-1" } }),
    );
    const ids = (await (await h.request("GET", `/v1/customers/${r.customerId}`)).json()).identifiers;
    expect(ids).toEqual([{ kind: "customer_id", value: "crm-real-1" }]);
    const other = await post(
      "/v1/interactions",
      chatInput({ customer: { email: "test@test.com", customerId: "crm-real-2" } }),
    );
    expect(other.customerId).not.toBe(r.customerId);
    const only = await h.request("POST", "/v1/interactions", {
      body: chatInput({ customer: { email: "noreply@shop.example" } }),
    });
    expect(only.status).toBe(422);
    expect((await only.json()).errors[0]).toMatchObject({
      field: "customer",
      message: expect.stringContaining("placeholder"),
    });
  });

  it("never merges on a shared device id", async () => {
    const kiosk = await post(
      "/v1/events",
      eventInput({ customer: { deviceId: "branch-kiosk-7", customerId: "crm-kiosk-a" } }),
    );
    const other = await post("/v1/interactions", chatInput({ customer: { email: "someone.else@example.com" } }));
    const both = await post(
      "/v1/events",
      eventInput({ customer: { deviceId: "branch-kiosk-7", email: "someone.else@example.com" } }),
    );
    expect(both.customerId).toBe(other.customerId);
    expect(kiosk.customerId).not.toBe(other.customerId);
    expect((await h.request("GET", `/v1/customers/${kiosk.customerId}`)).status).toBe(200);
  });

  it("merges one after another within one batch: the chain ends at the oldest customer, counts add up for the caps, and each merge unmerges exactly", async () => {
    let c = "";
    for (let i = 1; i <= 4; i++)
      c = (
        await post(
          "/v1/events",
          eventInput({ customer: { customerId: "crm-chain-c", email: `chain.c${i}@example.com` } }),
        )
      ).customerId;
    const a = await post("/v1/interactions", chatInput({ customer: { email: "chain.a@example.com" } }));
    const b = await post("/v1/interactions", callNoteInput({ customer: { phone: "+44 7700 900777" } }));
    const social = (customer: Record<string, string>) => socialInput({ authorHandle: undefined, customer });
    const batch = await post("/v1/interactions/batch", {
      items: [
        social({ email: "chain.a@example.com", phone: "+447700900777" }), // b into a
        social({ phone: "+447700900777", customerId: "crm-chain-c" }), // a (holding b) into c
        social({ customerId: "crm-chain-c", email: "chain.fresh@example.com" }), // c holds 5 emails now
      ],
    });
    expect(batch.results.map((r: { customerId: string }) => r.customerId)).toEqual([a.customerId, c, c]);
    const rows = await rowsOf(c);
    expect(rows.interactions).toEqual([a.id, b.id, ...batch.results.map((r: { id: string }) => r.id)].sort());
    expect(await rowsOf(a.customerId)).toEqual({ identities: [], interactions: [], events: [] });
    const merged = await h.runtime.db.$client.execute({
      sql: "SELECT id, merged_into FROM customers WHERE id IN (?, ?) ORDER BY id",
      args: [a.customerId, b.customerId],
    });
    expect(merged.rows.map((r) => r.merged_into)).toEqual([c, c]);

    const history = (await (await h.request("GET", `/v1/customers/${c}/identity-history`)).json()).items;
    expect(history.find((e: { action: string }) => e.action === "merge").details).toMatchObject({
      merged: a.customerId,
      moved: { identities: 2, interactions: 3, events: 0 },
    });
    expect(history.filter((e: { action: string }) => e.action === "cap_reached")).toHaveLength(1);
    const first = (await (await h.request("GET", `/v1/customers/${a.customerId}/identity-history`)).json()).items;
    // Both entries carry the batch's instant: their order within it is not defined.
    expect(first.map((e: { action: string }) => e.action).sort()).toEqual(["merge", "merged_into"]);
    expect(first.find((e: { action: string }) => e.action === "merge").details).toMatchObject({
      merged: b.customerId,
      moved: { identities: 1, interactions: 1 },
    });

    const undone = await admin("POST", `/v1/customers/${c}/unmerge`);
    expect(await undone.json()).toMatchObject({
      restored: a.customerId,
      moved: { identities: 2, interactions: 3, events: 0 },
    });
    expect((await rowsOf(a.customerId)).interactions).toEqual([a.id, b.id, batch.results[0].id].sort());
    expect((await rowsOf(c)).identities).toHaveLength(5); // its crm id and four emails: the fifth was refused
  });

  it("caps how many identifiers of a kind one customer collects", async () => {
    let customerId = "";
    for (let i = 0; i < 7; i++)
      customerId = (
        await post("/v1/events", eventInput({ customer: { customerId: "crm-cap", email: `cap${i}@example.com` } }))
      ).customerId;
    const profile = await (await h.request("GET", `/v1/customers/${customerId}`)).json();
    expect(profile.identifiers.filter((i: { kind: string }) => i.kind === "email")).toHaveLength(5);
    const history = (await (await h.request("GET", `/v1/customers/${customerId}/identity-history`)).json()).items;
    expect(history.filter((e: { action: string }) => e.action === "cap_reached")).toHaveLength(2);
  });
});

describe("manual identity operations (admin)", () => {
  it("links an identifier, refusing one that belongs to someone else", async () => {
    const a = await post("/v1/interactions", chatInput({ customer: { customerId: "crm-link-a" } }));
    const b = await post(
      "/v1/interactions",
      chatInput({ customer: { customerId: "crm-link-b", email: "taken@example.com" } }),
    );
    const res = await admin("POST", `/v1/customers/${a.customerId}/identifiers`, {
      kind: "phone",
      value: "+1 202 555 0111",
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ linked: true, identifier: { kind: "phone", value: "+12025550111" } });
    expect(
      (await admin("POST", `/v1/customers/${a.customerId}/identifiers`, { kind: "email", value: "TAKEN@example.com" }))
        .status,
    ).toBe(409);
    expect((await admin("POST", `/v1/customers/${a.customerId}/identifiers`, { kind: "fax", value: "1" })).status).toBe(
      422,
    );
    expect(
      (
        await h.request("POST", `/v1/customers/${a.customerId}/identifiers`, {
          key: h.keys.ingest,
          body: { kind: "phone", value: "+12025550112" },
        })
      ).status,
    ).toBe(403);
    expect(b.customerId).not.toBe(a.customerId);
  });

  it("merges by hand and splits back off", async () => {
    const a = await post("/v1/interactions", chatInput({ customer: { customerId: "crm-man-a" } }));
    const b = await post(
      "/v1/interactions",
      chatInput({ customer: { customerId: "crm-man-b", email: "man.b@example.com" } }),
    );
    const merged = await admin("POST", `/v1/customers/${a.customerId}/merge`, { customerId: b.customerId });
    expect(merged.status).toBe(200);
    expect(await timelineIds(a.customerId)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await admin("POST", `/v1/customers/${a.customerId}/merge`, { customerId: b.customerId })).status).toBe(409);

    const split = await admin("POST", `/v1/customers/${a.customerId}/split`, {
      identifiers: [{ kind: "email", value: "man.b@example.com" }],
      interactions: [b.id],
      displayName: "B again",
    });
    expect(split.status).toBe(201);
    const { customerId: fresh, moved } = await split.json();
    expect(moved).toEqual({ identities: 1, interactions: 1, events: 0 });
    expect(await timelineIds(fresh)).toEqual([b.id]);
    expect(await timelineIds(a.customerId)).not.toContain(b.id);
    const actions = (await (await h.request("GET", `/v1/customers/${a.customerId}/identity-history`)).json()).items.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(["merge", "split"]);
    expect(
      (await admin("POST", `/v1/customers/${a.customerId}/split`, { interactions: ["int_not_theirs"] })).status,
    ).toBe(422);
  });
});
