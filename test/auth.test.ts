import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, eventInput } from "./support/factories.js";
import { revokeApiKey, listApiKeys, hashKey } from "../src/services/api-keys.js";
import { createdResponse } from "../src/contracts/records.js";
import { parsed, problem } from "./support/http.js";

const ADMIN_KEY = `es_${randomBytes(32).toString("base64url")}`;
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ EARSHOT_ADMIN_KEY: ADMIN_KEY });
});
afterAll(() => h.close());

const writes: Array<[string, () => unknown]> = [
  ["/v1/interactions", () => chatInput()],
  ["/v1/interactions/batch", () => ({ items: [chatInput()] })],
  ["/v1/events", () => eventInput()],
  ["/v1/events/batch", () => ({ items: [eventInput()] })],
];

describe.each(writes)("auth on POST %s", (path, body) => {
  it("answers 401 without a key", async () => {
    const res = await h.request("POST", path, { key: null, body: body() });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
    await problem(res, "unauthorized");
  });
  it("answers 401 for an unknown key", async () => {
    expect((await h.request("POST", path, { key: "es_not-a-real-key", body: body() })).status).toBe(401);
  });
  it("answers 403 for a key without the ingest scope", async () => {
    const res = await h.request("POST", path, { key: h.keys.read, body: body() });
    expect(res.status).toBe(403);
    expect((await problem(res, "forbidden")).detail).toContain('"ingest"');
  });
  it("accepts the ingest scope, and admin as every scope", async () => {
    expect((await h.request("POST", path, { key: h.keys.ingest, body: body() })).status).toBeLessThan(300);
    expect((await h.request("POST", path, { key: h.keys.admin, body: body() })).status).toBeLessThan(300);
  });
});

describe("reads and analysis", () => {
  it("needs the read scope to read an interaction", async () => {
    const { id } = await parsed(
      await h.request("POST", "/v1/interactions", { key: h.keys.ingest, body: chatInput() }),
      createdResponse,
    );
    expect((await h.request("GET", `/v1/interactions/${id}`, { key: h.keys.ingest })).status).toBe(403);
    expect((await h.request("GET", `/v1/interactions/${id}`, { key: h.keys.read })).status).toBe(200);
    expect((await h.request("GET", `/v1/interactions/${id}`, { key: null })).status).toBe(401);
  });
  it("lets ingest or read keys analyse, and no key not", async () => {
    for (const key of [h.keys.ingest, h.keys.read])
      expect((await h.request("POST", "/v1/analyze", { key, body: { text: "fine" } })).status).toBe(200);
    expect((await h.request("POST", "/v1/analyze", { key: null, body: { text: "fine" } })).status).toBe(401);
  });
});

describe("keys", () => {
  it("makes EARSHOT_ADMIN_KEY a key with every scope", async () => {
    const res = await h.request("POST", "/v1/events", { key: ADMIN_KEY, body: eventInput() });
    expect(res.status).toBe(201);
  });
  it("stores only hashes", async () => {
    const { rows } = await h.runtime.db.$client.execute("SELECT * FROM api_keys");
    const dump = JSON.stringify(rows);
    for (const key of Object.values(h.keys)) {
      expect(dump).not.toContain(key);
      expect(dump).toContain(hashKey(key));
    }
  });
  it("stops accepting a revoked key", async () => {
    const { key } = await import("../src/services/api-keys.js").then((m) =>
      m.createApiKey(h.runtime.db, "short-lived", ["ingest"]),
    );
    const keys = await listApiKeys(h.runtime.db);
    const id = keys.find((k) => k.name === "short-lived")!.id;
    await revokeApiKey(h.runtime.db, id);
    // A fresh verifier (no cache) sees the revocation at once.
    const { ApiKeyVerifier } = await import("../src/services/api-keys.js");
    expect(await new ApiKeyVerifier(h.runtime.db).verify(key)).toBeNull();
  });
});
