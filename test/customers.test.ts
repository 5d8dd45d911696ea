import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, emailInput, eventInput, socialInput } from "./support/factories.js";

const NOW = new Date("2026-03-20T12:00:00Z");
let h: Harness;
let customerId: string;
const at = (daysAgo: number, minutes = 0) =>
  new Date(NOW.getTime() - daysAgo * 86_400_000 + minutes * 60_000).toISOString();

beforeAll(async () => {
  h = await createHarness({}, { clock: () => NOW });
  const customer = {
    customerId: "crm-77",
    email: "Ana.Lima@Example.com",
    phone: "+1 202 555 0188",
    handle: { platform: "twitter", value: "@AnaL" },
    name: "Ana Lima",
  };
  const created = await (
    await h.request("POST", "/v1/events", {
      body: eventInput({ customer, type: "service", name: "account_opened", status: "succeeded", occurredAt: at(80) }),
    })
  ).json();
  customerId = created.customerId;
  const items = [
    eventInput({
      customer: { customerId: "crm-77" },
      type: "login",
      name: "app",
      status: "succeeded",
      occurredAt: at(2, 0),
    }),
    eventInput({
      customer: { customerId: "crm-77" },
      type: "transaction",
      name: "withdrawal",
      status: "failed",
      amount: 900,
      occurredAt: at(2, 2),
    }),
    eventInput({
      customer: { customerId: "crm-77" },
      type: "error",
      name: "insufficient_funds",
      status: "shown",
      occurredAt: at(2, 3),
    }),
  ];
  await h.request("POST", "/v1/events/batch", { body: { items } });
  const interactions = [
    chatInput({
      customer: { email: "ana.lima@example.com" },
      occurredAt: at(2, 5),
      turns: [
        { speaker: "customer", text: "My withdrawal failed and nobody answered for 40 minutes. This is ridiculous!" },
      ],
    }),
    socialInput({
      authorHandle: "@anal",
      occurredAt: at(2, 30),
      text: "Worst bank ever, charged twice and now I cannot withdraw MY money. Closing my account.",
    }),
    emailInput({
      customer: { phone: "(202) 555-0188" },
      occurredAt: at(40),
      subject: "Thanks",
      body: "Thank you for sorting out my card so quickly, great service.",
    }),
  ];
  await h.request("POST", "/v1/interactions/batch", { body: { items: interactions } });
  await h.runtime.momentQueue.idle();
});
afterAll(() => h.close());

describe("GET /v1/customers/{id}/timeline", () => {
  it("merges interactions and events in occurredAt order with summaries and analysis", async () => {
    const body = await (await h.request("GET", `/v1/customers/${customerId}/timeline`)).json();
    expect(
      body.items.map((i: { kind: string; type?: string; channel?: string }) =>
        i.kind === "moment" ? "moment" : (i.type ?? i.channel),
      ),
    ).toEqual(["service", "email", "login", "transaction", "error", "chat", "social", "moment"]);
    const moment = body.items[7];
    expect(moment).toMatchObject({ kind: "moment", status: "open", triggerId: body.items[6].id });
    expect(moment.reasons.find((r: { code: string }) => r.code === "failed_before_contact").refs).toContain(
      body.items[3].id,
    );
    const chat = body.items[5];
    expect(chat.summary).toContain("My withdrawal failed");
    expect(chat.analysis.sentiment.label).toBe("negative");
    expect(body.items[3].summary).toBe("transaction withdrawal failed 900 EUR");
    expect(body.nextCursor).toBeNull();
  });

  it("pages with a cursor without gaps or repeats, in both orders", async () => {
    for (const order of ["asc", "desc"]) {
      const all = (
        await (await h.request("GET", `/v1/customers/${customerId}/timeline?order=${order}`)).json()
      ).items.map((i: { id: string }) => i.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = await (
          await h.request(
            "GET",
            `/v1/customers/${customerId}/timeline?order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
          )
        ).json();
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });

  it("filters by time, channel, type and flagged", async () => {
    const get = async (qs: string) =>
      (await (await h.request("GET", `/v1/customers/${customerId}/timeline?${qs}`)).json()).items;
    expect((await get(`from=${encodeURIComponent(at(3))}`)).length).toBe(6);
    const onlyMoments = await h.request("GET", `/v1/customers/${customerId}/timeline?types=moment`);
    expect(onlyMoments.status, await onlyMoments.clone().text()).toBe(200);
    expect((await onlyMoments.json()).items.map((i: { kind: string }) => i.kind)).toEqual(["moment"]);
    expect((await get("channels=chat,social")).map((i: { channel: string }) => i.channel)).toEqual(["chat", "social"]);
    expect((await get("types=error")).map((i: { type: string }) => i.type)).toEqual(["error"]);
    expect((await get("channels=email&types=login")).length).toBe(2);
    const flagged = await get("flaggedOnly=true");
    expect(flagged.length).toBeGreaterThan(0);
    expect(
      flagged.every(
        (i: { kind: string; analysis?: { complaint: { flagged: boolean } } }) =>
          i.kind === "moment" || i.analysis!.complaint.flagged,
      ),
    ).toBe(true);
    expect(flagged.map((i: { kind: string }) => i.kind)).toContain("moment");
  });

  it("answers 422 for a bad query, 404 for an unknown customer, 401/403 without the read scope", async () => {
    const bad = await h.request("GET", `/v1/customers/${customerId}/timeline?channels=fax&limit=0&cursor=nonsense`);
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["channels.0", "limit"]),
    );
    expect((await h.request("GET", `/v1/customers/${customerId}/timeline?cursor=nonsense`)).status).toBe(422);
    expect((await h.request("GET", "/v1/customers/cus_nobody/timeline")).status).toBe(404);
    // A customer whose window holds nothing has an empty timeline, not a 404.
    const empty = await h.request(
      "GET",
      `/v1/customers/${customerId}/timeline?from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z`,
    );
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ items: [], nextCursor: null });
    expect((await h.request("GET", `/v1/customers/${customerId}/timeline`, { key: null })).status).toBe(401);
    expect((await h.request("GET", `/v1/customers/${customerId}/timeline`, { key: h.keys.ingest })).status).toBe(403);
  });
});

describe("GET /v1/customers/{id}", () => {
  it("profiles identifiers, contacts, trend, open needs and latest risk", async () => {
    const p = await (await h.request("GET", `/v1/customers/${customerId}`)).json();
    expect(p.displayName).toBe("Ana Lima");
    expect(p.identifiers).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "ana.lima@example.com" },
        { kind: "phone", value: "+12025550188" },
        { kind: "handle", value: "twitter:anal" },
      ]),
    );
    expect(p.channels).toEqual({ chat: 1, social: 1, email: 1 });
    expect(p.contacts).toMatchObject({ interactions: 3, events: 4 });
    expect(p.firstContactAt).toBe(at(80));
    expect(p.sentimentTrend.days7.interactions).toBe(2);
    expect(p.sentimentTrend.days7.average).toBeLessThan(0);
    expect(p.sentimentTrend.days90.interactions).toBe(3);
    expect(p.openNeeds.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(["cancel", "billing_dispute"]));
    expect(p.latestRisk).toMatchObject({ flagged: true, occurredAt: at(2, 30) });
    expect(p.latestRisk.reasons.join(" ")).toContain("public complaint");
  });
  it("answers 404 for an unknown customer", async () => {
    expect((await h.request("GET", "/v1/customers/cus_nobody")).status).toBe(404);
  });
});

describe("GET /v1/customers?q=", () => {
  it.each([["ANA.LIMA@example.com"], ["(202) 555-0188"], ["@AnaL"], ["crm-77"], ["lima"]])(
    "finds the customer by %s",
    async (q) => {
      const body = await (await h.request("GET", `/v1/customers?q=${encodeURIComponent(q)}`)).json();
      expect(body.items.map((c: { id: string }) => c.id)).toContain(customerId);
    },
  );
  it("finds nobody for an unknown value and refuses a one-letter query", async () => {
    expect((await (await h.request("GET", "/v1/customers?q=nobody-like-this")).json()).items).toEqual([]);
    expect((await h.request("GET", "/v1/customers?q=a")).status).toBe(422);
  });
});

describe("GET /v1/interactions (search)", () => {
  const search = async (qs: string) => (await (await h.request("GET", `/v1/interactions?${qs}`)).json()).items;
  const window = `from=${encodeURIComponent(at(3))}&to=${encodeURIComponent(NOW.toISOString())}`;
  it("lists a time window across customers, newest first", async () => {
    const items = await search(window);
    expect(items.map((i: { channel: string }) => i.channel)).toEqual(["social", "chat"]);
  });
  it("defaults to the last 24 hours", async () => {
    expect(await search("")).toEqual([]);
  });
  it("searches the text with stemming", async () => {
    expect((await search(`${window}&q=withdrawing`)).length).toBe(2);
    expect((await search(`${window}&q=charge twice`)).map((i: { channel: string }) => i.channel)).toEqual(["social"]);
    expect(await search(`${window}&q=mortgage`)).toEqual([]);
  });
  it("filters by channel, sentiment, topic, need and flagged", async () => {
    const all = `from=${encodeURIComponent(at(60))}&to=${encodeURIComponent(NOW.toISOString())}`;
    expect((await search(`${all}&channel=email`)).length).toBe(1);
    expect((await search(`${all}&sentiment=positive`)).map((i: { channel: string }) => i.channel)).toEqual(["email"]);
    expect((await search(`${all}&need=cancel`)).map((i: { channel: string }) => i.channel)).toEqual(["social"]);
    expect((await search(`${all}&topic=card`)).map((i: { channel: string }) => i.channel)).toEqual(["email"]);
    expect((await search(`${all}&flagged=true`)).length).toBeGreaterThan(0);
  });
  it("answers 422 for bad filters", async () => {
    const res = await h.request("GET", "/v1/interactions?sentiment=angry&flagged=yes");
    expect(res.status).toBe(422);
    expect((await res.json()).errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(["sentiment.0", "flagged"]),
    );
  });
});
