import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKED_FORMAT, unpackAnalysis } from "../src/analysis/stored-form.js";
import { interactionDetails } from "../src/services/customers/details.js";
import { dashboardData } from "../src/services/dashboard.js";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, socialInput } from "./support/factories.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({}, { clock: () => new Date("2026-03-02T00:00:00Z") });
});
afterAll(() => h.close());

const turns = [
  { speaker: "customer", text: "I want to cancel my account, the monthly card fee is outrageous and nobody answers." },
  { speaker: "agent", text: "I am sorry to hear that, let me look at the fee." },
  { speaker: "customer", text: "Third time I ask. I will complain to the ombudsman." },
];

describe("the analysis column", () => {
  it("holds new analyses packed, and reads rows stored before the packed form the same way everywhere", async () => {
    const created = await (
      await h.request("POST", "/v1/interactions", { body: chatInput({ turns, session: { waitSeconds: 240 } }) })
    ).json();
    await h.request("POST", "/v1/interactions", {
      body: socialInput({ text: "Card fee again?! Cancelling today.", customer: { customerId: created.customerId } }),
    });
    const raw = String(
      (
        await h.runtime.db.$client.execute({
          sql: "SELECT analysis FROM interactions WHERE id = ?",
          args: [created.id],
        })
      ).rows[0].analysis,
    );
    expect(JSON.parse(raw)[0]).toBe(PACKED_FORMAT);

    // Every reader of the column: the record, its details, the timeline, the profile and the dashboard.
    const views = async () => ({
      record: (await (await h.request("GET", `/v1/interactions/${created.id}`)).json()).analysis,
      details: (await interactionDetails(h.runtime.db, [created.id])).get(created.id)!.analysis,
      timeline: (await (await h.request("GET", `/v1/customers/${created.customerId}/timeline`)).json()).items.filter(
        (i: { kind: string }) => i.kind === "interaction",
      ),
      profile: await (await h.request("GET", `/v1/customers/${created.customerId}`)).json(),
      dashboard: await dashboardData(h.runtime.db, {
        from: new Date("2026-03-01T00:00:00Z"),
        to: new Date("2026-03-02T00:00:00Z"),
      }),
    });
    const packed = await views();
    // The record answers with the engine's result for the same transcript and wait.
    const engine = await (
      await h.request("POST", "/v1/analyze", { body: { channel: "chat", turns, context: { waitSeconds: 240 } } })
    ).json();
    expect(packed.record).toEqual(engine);
    expect(packed.details).toEqual(engine);
    expect(packed.dashboard.topics.map((t) => t.id)).toContain("card");
    expect(packed.dashboard.needs.map((n) => n.id)).toContain("cancel");
    expect(packed.profile.latestRisk.reasons.length).toBeGreaterThan(0);
    expect(packed.profile.openNeeds.length).toBeGreaterThan(0);

    // Every row rewritten as analyses were stored before the packed form: a JSON object.
    const rows = (await h.runtime.db.$client.execute("SELECT id, analysis FROM interactions")).rows;
    for (const r of rows)
      await h.runtime.db.$client.execute({
        sql: "UPDATE interactions SET analysis = ? WHERE id = ?",
        args: [JSON.stringify(unpackAnalysis(String(r.analysis))), r.id],
      });
    expect(
      String(
        (
          await h.runtime.db.$client.execute({
            sql: "SELECT analysis FROM interactions WHERE id = ?",
            args: [created.id],
          })
        ).rows[0].analysis,
      ),
    ).toMatch(/^\{"version"/);
    expect(await views()).toEqual(packed);
  });
});
