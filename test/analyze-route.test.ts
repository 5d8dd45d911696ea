import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe("POST /v1/analyze", () => {
  it("analyses a text without storing it", async () => {
    const res = await h.request("POST", "/v1/analyze", {
      body: { text: "The app is great but the fees are outrageous. I want a refund!" },
    });
    expect(res.status).toBe(200);
    const r = await res.json();
    expect(r).toMatchObject({
      version: h.runtime.analyzer.version,
      language: { code: "en", analysed: true },
      sentiment: { label: "negative" },
    });
    expect(r.sentiment.sentences[0].drivers.length).toBeGreaterThan(0);
    expect(r.topics.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining(["app_website", "fees"]));
    expect(r.needs.map((n: { id: string }) => n.id)).toContain("refund");
    const { rows } = await h.runtime.db.$client.execute("SELECT count(*) AS n FROM interactions");
    expect(Number(rows[0].n)).toBe(0);
  });

  it("analyses a transcript by speaker", async () => {
    const turns = [
      { speaker: "customer", text: "I have been double charged and I am angry." },
      { speaker: "agent", text: "So sorry, I have refunded the duplicate." },
      { speaker: "customer", text: "Thanks, that's great." },
    ];
    const r = await (await h.request("POST", "/v1/analyze", { body: { channel: "chat", turns } })).json();
    expect(r.turns).toHaveLength(3);
    expect(r.speakers.customer.turns).toBe(2);
    expect(r.trajectory.trend).toBe("improving");
  });

  it("names the bad fields", async () => {
    const res = await h.request("POST", "/v1/analyze", { body: { channel: "pigeon", text: "hi" } });
    expect(res.status).toBe(422);
    expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual(["channel"]);
    const empty = await h.request("POST", "/v1/analyze", { body: { channel: "email" } });
    expect((await empty.json()).errors.map((e: { field: string }) => e.field)).toEqual(["text"]);
  });
});
