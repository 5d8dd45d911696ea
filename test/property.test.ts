import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, eventInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ BODY_LIMIT_BYTES: "65536" });
});
afterAll(() => h.close());

const endpoints = ["/v1/interactions", "/v1/interactions/batch", "/v1/events", "/v1/events/batch", "/v1/analyze"];
const hostileKey = fc.constantFrom("__proto__", "constructor", "prototype", "channel", "turns", "customer", "items", "text", "occurredAt");
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    fc.string(),
    fc.string({ unit: "grapheme", maxLength: 50 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.oneof(hostileKey, fc.string({ maxLength: 10 })), tie("value"), { maxKeys: 6 }),
  ),
})).value;

// A valid record with one field replaced by anything: the most likely way to reach deep code paths.
const mutatedRecord = fc.tuple(fc.constantFrom<Record<string, unknown>>(chatInput(), eventInput()), hostileKey, anyJson).map(([base, key, value]) => ({ ...base, [key]: value }));

describe("hostile input never makes a 5xx", () => {
  it("random JSON values", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fc.oneof(anyJson, mutatedRecord, fc.record({ items: fc.array(fc.oneof(anyJson, mutatedRecord), { maxLength: 4 }) })), async (path, body) => {
        const res = await h.request("POST", path, { body: JSON.stringify(body) ?? "null" });
        expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
        if (res.status >= 400) expect(res.headers.get("content-type")).toBe("application/problem+json");
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it("random bytes, control characters and deep nesting", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), fc.uint8Array({ maxLength: 200 }), async (path, bytes) => {
        const res = await h.request("POST", path, { body: bytes });
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 150, seed: 7 },
    );
    const deep = "[".repeat(5000) + "]".repeat(5000);
    for (const path of endpoints) expect((await h.request("POST", path, { body: deep })).status).toBeLessThan(500);
    const control = JSON.stringify({ ...chatInput(), turns: [{ speaker: "customer", text: "\u0000\u0007\u001b[31mred\u202e\uFEFF" }] });
    expect((await h.request("POST", "/v1/interactions", { body: control })).status).toBe(201);
  });
});
