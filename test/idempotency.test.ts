import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, emailInput, eventInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const post = (path: string, body: unknown) => h.request("POST", path, { key: h.keys.ingestRead, body });

describe("idempotency on (source, externalId)", () => {
  it("answers a retry of the same content 200 existing, however its keys are ordered and its instant written", async () => {
    const input = emailInput({ occurredAt: "2026-03-01T11:00:00Z" });
    const first = await post("/v1/interactions", input);
    expect(first.status).toBe(201);
    const { id } = await first.json();
    // Same content: keys in reverse order, the instant in another offset, a default spelled out.
    const reordered = Object.fromEntries(
      Object.entries({ ...input, occurredAt: "2026-03-01T12:00:00+01:00", direction: "inbound" }).reverse(),
    );
    const again = await post("/v1/interactions", reordered);
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ id, status: "existing" });
  });

  it("answers another body under the same pair 409, naming the conflict, and keeps the stored record", async () => {
    const input = chatInput();
    const { id } = await (await post("/v1/interactions", input)).json();
    const changed = {
      ...input,
      turns: [{ speaker: "customer", text: "Actually it was three failed payments, not two." }],
    };
    const res = await post("/v1/interactions", changed);
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const problem = await res.json();
    expect(problem).toMatchObject({ code: "conflict", status: 409, title: "Conflict" });
    expect(problem.detail).toContain(`source "${input.source}" and externalId "${input.externalId}"`);
    expect(problem.detail).toContain(id);
    expect(problem.errors).toEqual([expect.objectContaining({ field: "externalId", pointer: "/externalId" })]);
    const stored = await (await h.request("GET", `/v1/interactions/${id}`)).json();
    expect(stored.turns[0].text).toBe(input.turns[0].text);
    // A change in one field only (the wait) is a conflict too; the original still answers 200.
    expect((await post("/v1/interactions", { ...input, session: { ...input.session, waitSeconds: 31 } })).status).toBe(
      409,
    );
    expect((await post("/v1/interactions", input)).status).toBe(200);
  });

  it("does the same for journey events", async () => {
    const input = eventInput();
    expect((await post("/v1/events", input)).status).toBe(201);
    expect((await post("/v1/events", input)).status).toBe(200);
    const res = await post("/v1/events", { ...input, amount: 5000 });
    expect(res.status).toBe(409);
    expect((await res.json()).errors[0].field).toBe("externalId");
  });

  it("reports conflicts per item in a batch, within the batch and against stored records", async () => {
    const stored = chatInput();
    const { id: storedId } = await (await post("/v1/interactions", stored)).json();
    const fresh = chatInput();
    const items = [
      { ...stored, turns: [{ speaker: "customer", text: "A different conversation." }] },
      fresh,
      { ...fresh, turns: [{ speaker: "customer", text: "Same id, other words." }] },
      fresh,
      stored,
    ];
    const res = await post("/v1/interactions/batch", { items });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.results.map((r: { status: number }) => r.status)).toEqual([409, 201, 409, 200, 200]);
    expect(body).toMatchObject({ created: 1, existing: 2, failed: 2 });
    expect(body.results[0]).toMatchObject({
      id: storedId,
      problem: { code: "conflict", errors: [{ field: "items.0.externalId" }] },
    });
    expect(body.results[2].id).toBe(body.results[1].id);
    const events = await post("/v1/events/batch", {
      items: [eventInput({ externalId: "evt-dup" }), eventInput({ externalId: "evt-dup", status: "ok" })],
    });
    expect((await events.json()).results.map((r: { status: number }) => r.status)).toEqual([201, 409]);
  });

  it("answers records stored without a hash (before it was kept) as existing", async () => {
    const input = chatInput();
    const { id } = await (await post("/v1/interactions", input)).json();
    await h.runtime.db.$client.execute({ sql: "UPDATE interactions SET content_hash = NULL WHERE id = ?", args: [id] });
    const res = await post("/v1/interactions", { ...input, turns: [{ speaker: "customer", text: "Other words." }] });
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe("existing");
  });
});
