import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ WEBHOOKS_MAX: "2", WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
});
afterAll(() => h.close());

const register = (n: number) =>
  h.request("POST", "/v1/webhooks", {
    key: h.keys.admin,
    body: { url: `http://127.0.0.1:9/hook-${n}`, events: ["moment.flagged"] },
  });

describe("active webhooks per deployment", () => {
  it("answers 409 past WEBHOOKS_MAX, counting only active webhooks", async () => {
    expect((await register(1)).status).toBe(201);
    const second = await (await register(2)).json();
    const refused = await register(3);
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect((await refused.json()).detail).toContain(
      "2 webhooks are active, the most this deployment allows (WEBHOOKS_MAX)",
    );
    expect((await h.request("GET", "/v1/webhooks", { key: h.keys.admin }).then((r) => r.json())).items).toHaveLength(2);

    expect((await h.request("DELETE", `/v1/webhooks/${second.id}`, { key: h.keys.admin })).status).toBe(204);
    expect((await register(4)).status).toBe(201);
  });
});
