import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BUCKETS } from "../src/lib/time-window.js";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput } from "./support/factories.js";

// Property tests of every windowed endpoint, API and console: any `from`, `to` and `limit` a client
// may send is answered, bounded and quickly (hostile bodies at the write endpoints: property.test.ts).

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("windowed endpoints, with any from, to and limit", () => {
  // Instants as clients send them: ISO strings of any year (0000, 9999 and the extended +275760 form),
  // the console's datetime-local values, numbers, words and nothing.
  const isoOfAnyYear = fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  const fourDigitYear = fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
    .map(
      ([y, m, d]) =>
        `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}T00:00:00Z`,
    );
  const recent = fc
    .date({ min: new Date("2023-01-01T00:00:00Z"), max: new Date("2027-01-01T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString());
  const instant = fc.option(
    fc.oneof(
      isoOfAnyYear,
      fourDigitYear,
      recent,
      recent.map((s) => s.slice(0, 16)),
      fc.string({ maxLength: 30 }),
      fc.integer().map(String),
      fc.constantFrom("0000-01-01T00:00:00Z", "9999-12-31T00:00:00Z", "1969-12-31T23:59:59Z", "2100-01-01T00:00:00Z"),
    ),
    { nil: undefined },
  );
  const limit = fc.option(fc.oneof(fc.integer({ min: -5, max: 100_000 }).map(String), fc.string({ maxLength: 8 })), {
    nil: undefined,
  });
  const paths = [
    "/v1/interactions",
    "/v1/customers/{id}/timeline",
    "/v1/moments",
    "DELETE /v1/customers/{id}/data",
    "/console/dashboard",
    "/console",
    "/console/customers/{id}",
  ];
  let cookie = "";
  let customerId = "";

  beforeAll(async () => {
    for (const occurredAt of ["2024-05-01T10:00:00Z", "2025-09-14T08:00:00Z", "2026-03-01T10:00:00Z"]) {
      customerId = (
        await (
          await h.request("POST", "/v1/interactions", {
            body: chatInput({ occurredAt, customer: { customerId: "crm-window-prop" } }),
          })
        ).json()
      ).customerId;
    }
    cookie = (await h.person("supervisor")).cookie;
  });

  it("never answer 5xx, never draw more than MAX_BUCKETS buckets, and answer fast and small", async () => {
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), instant, instant, limit, async (which, from, to, lim) => {
        const params = new URLSearchParams();
        if (from !== undefined) params.set("from", from);
        if (to !== undefined) params.set("to", to);
        if (lim !== undefined) params.set("limit", lim);
        const [method, path] = which.startsWith("DELETE ") ? ["DELETE", which.slice(7)] : ["GET", which];
        const url = `${path.replace("{id}", customerId)}?${params}`;
        const started = performance.now();
        const res = url.startsWith("/console")
          ? await h.app.request(`http://localhost${url}`, { headers: { cookie }, redirect: "manual" })
          : await h.request(method, url, { key: method === "DELETE" ? h.keys.admin : h.keys.read });
        const body = await res.text();
        slowest = Math.max(slowest, performance.now() - started);
        expect(res.status, `${method} ${url}`).toBeLessThan(500);
        if (res.status >= 400 && !url.startsWith("/console"))
          expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect(body.length, url).toBeLessThan(200_000);
        if (path === "/console/dashboard" && res.status === 200) {
          const data = JSON.parse(/id="dashboard-data">([^<]*)</.exec(body)![1]);
          expect(data.buckets.length).toBeLessThanOrEqual(MAX_BUCKETS);
          for (const s of data.sentimentByChannel) expect(s.volume).toHaveLength(data.buckets.length);
        }
      }),
      { numRuns: 400, seed: 20261201 },
    );
    // A generous bound for a loaded machine; an unbounded window took seconds or ran out of heap.
    expect(slowest).toBeLessThan(1000);
  });
});
