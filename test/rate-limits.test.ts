import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RateLimiter } from "../src/services/rate-limiter.js";
import { createHarness, type Harness } from "./support/harness.js";

describe("RateLimiter", () => {
  it("allows the burst, then the rate, per key", () => {
    let t = 0;
    const limiter = new RateLimiter(2, 3, () => t);
    expect([1, 2, 3, 4].map(() => limiter.take("a").ok)).toEqual([true, true, true, false]);
    expect(limiter.take("b").ok).toBe(true);
    t = 499;
    expect(limiter.take("a")).toEqual({ ok: false, retryAfterSeconds: 1 });
    t = 1000;
    expect(limiter.take("a").ok).toBe(true);
  });
});

describe("per-key rate limits over HTTP", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ RATE_LIMIT_PER_SECOND: "1", RATE_LIMIT_BURST: "3" });
  });
  afterAll(() => h.close());

  it("answers 429 with Retry-After once a key is over its limit, leaving other keys alone", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await h.request("GET", "/v1/moments", { key: h.keys.read })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await h.request("GET", "/v1/moments", { key: h.keys.read });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect((await limited.json()).code).toBe("rate_limited");
    expect((await h.request("GET", "/v1/moments", { key: h.keys.admin })).status).toBe(200);
    // Unknown keys are refused before they cost anyone a token.
    expect((await h.request("GET", "/v1/moments", { key: "es_unknown" })).status).toBe(401);
  });
});
