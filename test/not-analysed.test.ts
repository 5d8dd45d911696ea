import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analysisResultSchema } from "../src/contracts/analysis.js";
import { notAnalysedSchema } from "../src/contracts/languages.js";
import { dashboardData } from "../src/services/dashboard.js";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, eventInput, socialInput } from "./support/factories.js";

// Texts in languages Earshot does not analyse, through the real app and a libSQL temp file: never a
// neutral score, counted per language, and the journey still flags the customer.
let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, { clock: () => new Date("2026-04-02T00:00:00Z") });
});
afterAll(() => h.close());

const settle = () => h.runtime.momentQueue.idle();
const codes = (reasons: Array<{ code: string }>) => reasons.map((r) => r.code);

describe("a contact in a language Earshot does not analyse", () => {
  it("is flagged from its journey: a failed withdrawal and a 20-minute wait, with reasons saying the text was not read", async () => {
    const customer = { customerId: "crm-fr-1", email: "client.fr@example.com" };
    await h.request("POST", "/v1/events", {
      body: eventInput({
        customer,
        type: "transaction",
        name: "withdrawal",
        status: "failed",
        occurredAt: "2026-04-01T09:00:00Z",
      }),
    });
    const text =
      "Bonjour, mon retrait au distributeur a échoué mais l'argent a quand même été débité de mon compte. Je veux une réponse aujourd'hui.";
    const created = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({
          customer,
          occurredAt: "2026-04-01T09:10:00Z",
          session: { waitSeconds: 1200 },
          turns: [{ speaker: "customer", text }],
        }),
      })
    ).json();
    await settle();

    // The stored analysis, as the API answers it.
    const record = await (await h.request("GET", `/v1/interactions/${created.id}`)).json();
    expect(analysisResultSchema.safeParse(record.analysis).success).toBe(true);
    expect(record.analysis.language).toMatchObject({ code: "fr", analysed: false, scope: "none" });
    expect(record.analysis.sentiment).toMatchObject({ score: null, label: "not_analysed" });
    expect(record.sentimentScore ?? null).toBeNull();

    // The timeline and search show it as not analysed, not as neutral.
    const timeline = (await (await h.request("GET", `/v1/customers/${created.customerId}/timeline`)).json()).items.find(
      (i: { id: string }) => i.id === created.id,
    );
    expect(timeline.analysis).toMatchObject({
      language: { code: "fr", analysed: false },
      sentiment: { score: null, label: "not_analysed" },
    });
    const found = (
      await (await h.request("GET", "/v1/interactions?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z")).json()
    ).items.find((i: { id: string }) => i.id === created.id);
    expect(found.analysis.language).toEqual({ code: "fr", analysed: false });
    const neutral = (
      await (
        await h.request("GET", "/v1/interactions?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&sentiment=neutral")
      ).json()
    ).items;
    expect(neutral.map((i: { id: string }) => i.id)).not.toContain(created.id);

    // The moment: flagged on the journey, the reasons naming the failure, the wait and the unread text.
    const [moment] = (await (await h.request("GET", `/v1/moments?customerId=${created.customerId}`)).json()).items;
    expect(moment).toBeDefined();
    expect(moment.risk).toBeGreaterThanOrEqual(0.6);
    expect(codes(moment.reasons)).toEqual(
      expect.arrayContaining(["failed_before_contact", "long_wait", "text_not_analysed"]),
    );
    const unread = moment.reasons.find((r: { code: string }) => r.code === "text_not_analysed");
    expect(unread).toMatchObject({ weight: 0, refs: [created.id] });
    expect(unread.text).toContain("fr");
  });

  it("is counted per language by the API and the dashboard", async () => {
    const posts = [
      ["Ich warte seit drei Wochen auf meine Erstattung und niemand antwortet.", "2026-04-01T12:00:00Z"],
      ["Meine Karte wurde schon wieder ohne Grund gesperrt, das ist eine Frechheit.", "2026-04-01T12:05:00Z"],
      ["Il pacco è arrivato rotto e nessuno risponde alle mie email.", "2026-04-01T12:10:00Z"],
      ["The new card arrived today, thank you for the quick help.", "2026-04-01T12:15:00Z"],
    ];
    for (const [text, occurredAt] of posts)
      await h.request("POST", "/v1/interactions", { body: socialInput({ text, occurredAt }) });
    await settle();

    const res = await h.request("GET", "/v1/languages/not-analysed?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(notAnalysedSchema.safeParse(body).success).toBe(true);
    // The French chat of the first test, two German posts and one Italian; the English one is analysed.
    expect(body.total).toBe(4);
    expect(body.languages).toEqual([
      { code: "de", name: "German", count: 2 },
      { code: "fr", name: "French", count: 1 },
      { code: "it", name: "Italian", count: 1 },
    ]);
    expect(body.summary).toBe("4 contacts in languages Earshot does not analyse: de 2, fr 1, it 1");

    const social = await (
      await h.request(
        "GET",
        "/v1/languages/not-analysed?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z&channel=social",
      )
    ).json();
    expect(social.total).toBe(3);

    const dashboard = await dashboardData(h.runtime.db, {
      from: new Date("2026-04-01T00:00:00Z"),
      to: new Date("2026-04-02T00:00:00Z"),
    });
    expect(dashboard.notAnalysed.total).toBe(4);
    // Unread texts have no score, so they do not pull the average towards neutral.
    expect(dashboard.totals.interactions).toBe(5);
  });

  it("rejects a bad window and a missing key", async () => {
    const bad = await h.request("GET", "/v1/languages/not-analysed?from=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(JSON.stringify(await bad.json())).toContain("from");
    const anonymous = await h.app.request("/v1/languages/not-analysed");
    expect(anonymous.status).toBe(401);
  });
});
