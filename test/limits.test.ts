import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";

// Every bound on work a client's input sizes (docs/limits.md), through the real app: a 4xx problem
// naming the field, or the documented clamp.

const NOW = new Date("2026-03-10T12:00:00Z");
const ORIGIN = "http://localhost";
const ATTACK = "from=0000-01-01T00:00:00Z&to=9999-12-31T00:00:00Z";
let h: Harness;
let cookie: string;
let customerId: string;

const fields = async (res: Response) =>
  ((await res.json()) as { errors?: Array<{ field: string; message: string }> }).errors?.map((e) => e.field);
const page = (path: string) => h.app.request(`${ORIGIN}${path}`, { headers: { cookie }, redirect: "manual" });
const dashboardData = async (res: Response) => JSON.parse(/id="dashboard-data">([^<]*)</.exec(await res.text())![1]);

beforeAll(async () => {
  h = await createHarness({}, { clock: () => NOW });
  const created = await (
    await h.request("POST", "/v1/interactions", { body: chatInput({ occurredAt: "2026-03-09T10:00:00Z" }) })
  ).json();
  customerId = created.customerId;
  // Spread over a year and a half, for the week and month buckets.
  for (const occurredAt of [
    "2024-11-15T10:00:00Z",
    "2025-06-02T10:00:00Z",
    "2025-06-08T23:00:00Z",
    "2026-01-05T10:00:00Z",
  ]) {
    expect((await h.request("POST", "/v1/interactions", { body: chatInput({ occurredAt }) })).status).toBe(201);
  }
  cookie = (await h.person("supervisor")).cookie;
});
afterAll(() => h.close());

describe("time windows in the API", () => {
  it("refuses instants outside 1970–2100, naming each field", async () => {
    for (const path of [
      `/v1/interactions?${ATTACK}`,
      `/v1/customers/${customerId}/timeline?${ATTACK}`,
      `/v1/moments?${ATTACK}`,
    ]) {
      const res = await h.request("GET", path);
      expect(res.status, path).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await fields(res)).toEqual(["from", "to"]);
    }
    const erase = await h.request("DELETE", `/v1/customers/${customerId}/data?${ATTACK}`, { key: h.keys.admin });
    expect(erase.status).toBe(422);
    expect(await fields(erase)).toEqual(["from", "to"]);
    const edge = await h.request("GET", "/v1/interactions?from=1969-12-31T23:59:59Z&to=2100-01-01T00:00:00Z");
    expect(await fields(edge)).toEqual(["from", "to"]);
    expect((await h.request("GET", "/v1/interactions?from=1970-01-01T00:00:00Z&to=1970-01-02T00:00:00Z")).status).toBe(
      200,
    );
    // One field refused, the other valid: the pair is not judged (the refused one arrives as sent).
    expect(await fields(await h.request("GET", "/v1/interactions?from=%20&to=1970-01-01T00:00:00Z"))).toEqual(["from"]);
  });

  it("refuses a search window longer than 731 days, naming to", async () => {
    const res = await h.request("GET", "/v1/interactions?from=2024-01-01T00:00:00Z&to=2026-01-02T00:00:01Z");
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.errors).toEqual([{ field: "to", pointer: "/to", message: "must be at most 731 days after from" }]);
    const widest = await h.request(
      "GET",
      "/v1/interactions?from=2024-03-10T00:00:00Z&to=2026-03-11T00:00:00Z&limit=200",
    );
    expect(widest.status).toBe(200);
    expect((await widest.json()).items).toHaveLength(5);
  });

  it("lets a timeline and an erasure span the whole range: they read or delete one customer's rows", async () => {
    const wide = "from=1970-01-01T00:00:00Z&to=2099-12-31T00:00:00Z";
    expect((await h.request("GET", `/v1/customers/${customerId}/timeline?${wide}`)).status).toBe(200);
    expect((await h.request("GET", `/v1/moments?${wide}`)).status).toBe(200);
    const other = await (
      await h.request("POST", "/v1/interactions", { body: chatInput({ occurredAt: "1999-01-01T00:00:00Z" }) })
    ).json();
    const erased = await h.request("DELETE", `/v1/customers/${other.customerId}/data?${wide}`, { key: h.keys.admin });
    expect(erased.status).toBe(200);
    expect((await erased.json()).erased.interactions).toBe(1);
  });

  it("refuses an inverted window on every windowed endpoint", async () => {
    const inverted = "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z";
    for (const path of [
      `/v1/interactions?${inverted}`,
      `/v1/customers/${customerId}/timeline?${inverted}`,
      `/v1/moments?${inverted}`,
    ]) {
      expect(await fields(await h.request("GET", path)), path).toEqual(["to"]);
    }
    expect(
      await fields(await h.request("DELETE", `/v1/customers/${customerId}/data?${inverted}`, { key: h.keys.admin })),
    ).toEqual(["to"]);
  });
});

describe("page sizes, lists and text in queries", () => {
  it.each([
    ["/v1/interactions?limit=201", "limit"],
    ["/v1/interactions?limit=0", "limit"],
    ["/v1/moments?limit=201", "limit"],
    ["/v1/customers?q=ab&limit=51", "limit"],
    ["__timeline__?limit=201", "limit"],
    [`/v1/interactions?q=${"a".repeat(201)}`, "q"],
    [`/v1/customers?q=${"a".repeat(201)}`, "q"],
    [`/v1/interactions?channel=${Array(21).fill("chat").join(",")}`, "channel"],
    [`/v1/moments?severity=${Array(21).fill("low").join(",")}`, "severity"],
    [`/v1/interactions?cursor=${"x".repeat(501)}`, "cursor"],
    ["/v1/interactions?cursor=bm90LWEtY3Vyc29y", "cursor"],
    [`/v1/moments?customerId=${"c".repeat(101)}`, "customerId"],
  ])("%s: 422 naming %s", async (path, field) => {
    const res = await h.request("GET", path.replace("__timeline__", `/v1/customers/${customerId}/timeline`));
    expect(res.status).toBe(422);
    expect(await fields(res)).toEqual([field]);
  });
});

describe("bodies", () => {
  it("refuses a batch over BATCH_MAX_ITEMS and a body over BODY_LIMIT_BYTES", async () => {
    const batch = await h.request("POST", "/v1/interactions/batch", {
      body: { items: Array.from({ length: 1001 }, () => ({})) },
    });
    expect(batch.status).toBe(422);
    expect(await fields(batch)).toEqual(["items"]);
    const big = await h.request("POST", "/v1/events", { body: JSON.stringify({ pad: "x".repeat(1024 * 1024) }) });
    expect(big.status).toBe(413);
  });

  it("refuses more turns, text or identifiers to move than a record or a split takes", async () => {
    const turns = Array.from({ length: 5001 }, () => ({ speaker: "customer", text: "a" }));
    expect(await fields(await h.request("POST", "/v1/interactions", { body: chatInput({ turns }) }))).toEqual([
      "turns",
    ]);
    expect(await fields(await h.request("POST", "/v1/analyze", { body: { turns } }))).toEqual(["turns"]);
    expect(await fields(await h.request("POST", "/v1/analyze", { body: { text: "a ".repeat(100_001) } }))).toEqual([
      "text",
    ]);
    const split = await h.request("POST", `/v1/customers/${customerId}/split`, {
      key: h.keys.admin,
      body: { interactions: Array.from({ length: 10_001 }, (_, i) => `int_${i}`) },
    });
    expect(split.status).toBe(422);
    expect(await fields(split)).toEqual(["interactions"]);
  });
});

describe("time windows in the console", () => {
  it("answers the window that ran the heap out with a small 400 page, fast", async () => {
    const started = performance.now();
    const res = await page(`/console/dashboard?${ATTACK}`);
    const html = await res.text();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(400);
    expect(html.length).toBeLessThan(10_000);
    expect(html).toContain("From must be between 1970-01-01T00:00:00Z and 2100-01-01T00:00:00Z.");
    for (const path of [
      "/console/dashboard?from=1000-01-01T00:00&to=3000-01-01T00:00",
      "/console?from=1000-01-01T00:00",
      `/console/customers/${customerId}?to=9999-01-01T00:00`,
    ]) {
      const r = await page(path);
      expect(r.status, path).toBe(400);
      expect(await r.text()).toContain('id="window-error"');
    }
    const garbage = await page("/console/dashboard?to=yesterday");
    expect(garbage.status).toBe(400);
    expect(await garbage.text()).toContain("To is not a date and time");
  });

  it("shortens a window longer than 731 days to its last 731, saying so", async () => {
    const res = await page("/console/dashboard?from=1970-01-01T00:00&to=2026-03-11T00:00");
    expect(res.status).toBe(200);
    const html = await res.clone().text();
    expect(html).toContain('id="window-note"');
    expect(html).toContain("shortened to its last 731 days (from 2024-03-10 00:00 UTC)");
    expect(html).toContain('value="2024-03-10T00:00"');
    const data = await dashboardData(res);
    expect(data.bucket).toBe("month");
    expect(data.buckets).toHaveLength(25);
    expect(data.buckets[0]).toBe("2024-03");
    expect(data.totals.interactions).toBe(5);
    const search = await page("/console?from=1990-01-01T00:00&to=2026-03-11T00:00");
    expect(search.status).toBe(200);
    expect(await search.text()).toContain('id="window-note"');
  });

  it("draws a year in weeks from Monday, each interaction in its week", async () => {
    const data = await dashboardData(await page("/console/dashboard?from=2025-03-10T00:00&to=2026-03-10T00:00"));
    expect(data.bucket).toBe("week");
    expect(data.buckets[0]).toBe("2025-03-10");
    const volume: number[] = data.sentimentByChannel[0].volume;
    const byWeek = Object.fromEntries(
      data.buckets.map((b: string, i: number) => [b, volume[i]]).filter(([, n]: [string, number]) => n > 0),
    );
    // 2025-06-02 (Monday) and 2025-06-08 (Sunday) share a week; 2026-01-05 and 2026-03-09 are Mondays.
    expect(byWeek).toEqual({ "2025-06-02": 2, "2026-01-05": 1, "2026-03-09": 1 });
    expect(data.sentimentByChannel[0].average.filter((a: number | null) => a !== null)).toHaveLength(3);
  });

  it("counts a repeated channel parameter once", async () => {
    const res = await page(`/console/dashboard?${Array(3000).fill("channel=chat").join("&")}`);
    expect(res.status).toBe(200);
    expect((await dashboardData(res)).sentimentByChannel.map((s: { channel: string }) => s.channel)).toEqual(["chat"]);
  });
});
