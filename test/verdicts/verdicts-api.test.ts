import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verdictPage, verdictSchema } from "../../src/contracts/verdicts.js";
import { createApiKey } from "../../src/services/api-keys.js";
import { chatInput, socialInput } from "../support/factories.js";
import { createHarness, type Harness } from "../support/harness.js";

// Verdicts over HTTP: recording, replacing, listing, refusing what does not fit, scopes and erasure.

let h: Harness;
let now = Date.parse("2026-04-10T12:00:00Z");
let otherKey: string;
beforeAll(async () => {
  // Each reading of the clock is a second later, so verdicts have distinct, ordered times.
  h = await createHarness({}, { clock: () => new Date((now += 1000)) });
  otherKey = (await createApiKey(h.runtime.db, "Agent Two", ["act"])).key;
});
afterAll(() => h.close());

const settle = () => h.runtime.momentQueue.idle();
let n = 0;

/** A furious public post: a flagged interaction that raises a moment on arrival. */
async function flaggedPost() {
  const post = await (
    await h.request("POST", "/v1/interactions", {
      body: socialInput({
        customer: { customerId: `crm-v-${++n}` },
        occurredAt: "2026-04-09T08:00:00Z",
        text: "Charged twice AGAIN and nobody answers. Disgraceful, I want a manager NOW or I close my account!",
      }),
    })
  ).json();
  await settle();
  const interaction = await (await h.request("GET", `/v1/interactions/${post.id}`)).json();
  const moments = await (await h.request("GET", `/v1/moments?customerId=${post.customerId}`)).json();
  return { interaction, moment: moments.items[0], customerId: post.customerId as string };
}

/** A calm chat that is not flagged. */
async function calmChat() {
  const post = await (
    await h.request("POST", "/v1/interactions", {
      body: chatInput({
        customer: { customerId: `crm-v-${++n}` },
        occurredAt: "2026-04-09T09:00:00Z",
        turns: [{ speaker: "customer", text: "Could you tell me when the branch opens on Saturday?" }],
      }),
    })
  ).json();
  await settle();
  return (await h.request("GET", `/v1/interactions/${post.id}`)).json();
}

const judge = (kind: "moments" | "interactions", id: string, body: unknown, key?: string | null) =>
  h.request("POST", `/v1/${kind}/${id}/verdict`, { key, body });

describe("verdicts on moments", () => {
  it("records who and when, with a reason from the moment's own reasons", async () => {
    const { moment } = await flaggedPost();
    expect(moment.reasons.length).toBeGreaterThan(0);
    const reason = moment.reasons[0].code;
    const res = await judge("moments", moment.id, { verdict: "confirmed", reason });
    expect(res.status).toBe(201);
    const v = verdictSchema.parse(await res.json());
    expect(v).toMatchObject({
      subject: { kind: "moment", id: moment.id },
      verdict: "confirmed",
      reason,
      note: null,
      current: true,
      by: { name: "test system", via: "api" },
    });
    expect(v.by.id).toMatch(/^key:key_/);
    expect(Date.parse(v.at)).toBeGreaterThan(Date.parse("2026-04-10T12:00:00Z"));
    expect(v.flag).toMatchObject({
      flagged: true,
      risk: moment.risk,
      severity: moment.severity,
      channel: "social",
      reasons: moment.reasons.map((r: { code: string }) => r.code),
    });
  });

  it("replaces the same person's verdict, keeps the history, and leaves another person's alone", async () => {
    const { moment } = await flaggedPost();
    const first = await (await judge("moments", moment.id, { verdict: "confirmed" })).json();
    await judge("moments", moment.id, { verdict: "confirmed" }, otherKey);
    const second = await (
      await judge("moments", moment.id, { verdict: "false_alarm", note: "Customer was joking with the agent." })
    ).json();
    expect(second.id).not.toBe(first.id);

    const current = verdictPage.parse(await (await h.request("GET", `/v1/verdicts?subjectId=${moment.id}`)).json());
    expect(current.items.map((v) => [v.by.name, v.verdict])).toEqual([
      ["test system", "false_alarm"],
      ["Agent Two", "confirmed"],
    ]);
    const history = verdictPage.parse(
      await (await h.request("GET", `/v1/verdicts?subjectId=${moment.id}&history=true`)).json(),
    );
    expect(history.items).toHaveLength(3);
    const replaced = history.items.find((v) => v.id === first.id)!;
    expect(replaced.current).toBe(false);
    expect(Date.parse(replaced.supersededAt!)).toBeGreaterThanOrEqual(Date.parse(replaced.at));
  });

  it("refuses missed on a moment and a reason the moment does not have, naming the field", async () => {
    const { moment } = await flaggedPost();
    const missed = await judge("moments", moment.id, { verdict: "missed" });
    expect(missed.status).toBe(422);
    expect(missed.headers.get("content-type")).toContain("application/problem+json");
    expect((await missed.json()).errors).toEqual([
      expect.objectContaining({ field: "verdict", message: expect.stringContaining("confirmed or false_alarm") }),
    ]);
    const reason = await judge("moments", moment.id, { verdict: "false_alarm", reason: "not_a_reason_here" });
    expect(reason.status).toBe(422);
    const body = await reason.json();
    expect(body.errors[0].field).toBe("reason");
    expect(body.errors[0].message).toContain(moment.reasons[0].code);
  });
});

describe("verdicts on interactions", () => {
  it("takes confirmed or false_alarm on a flagged interaction, and refuses missed", async () => {
    const { interaction } = await flaggedPost();
    expect(interaction.flagged).toBe(true);
    const reason = interaction.analysis.complaint.reasons[0].code;
    const ok = await judge("interactions", interaction.id, { verdict: "false_alarm", reason });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      subject: { kind: "interaction" },
      verdict: "false_alarm",
      reason,
      flag: { flagged: true, channel: "social", risk: interaction.complaintRisk },
    });
    const missed = await judge("interactions", interaction.id, { verdict: "missed" });
    expect(missed.status).toBe(422);
    expect((await missed.json()).errors[0]).toMatchObject({
      field: "verdict",
      message: expect.stringContaining("was flagged"),
    });
  });

  it("takes missed on an interaction that was not flagged, and refuses confirmed", async () => {
    const chat = await calmChat();
    expect(chat.flagged).toBe(false);
    const confirmed = await judge("interactions", chat.id, { verdict: "confirmed" });
    expect(confirmed.status).toBe(422);
    expect((await confirmed.json()).errors[0]).toMatchObject({
      field: "verdict",
      message: expect.stringContaining("must be missed"),
    });
    const missed = await judge("interactions", chat.id, {
      verdict: "missed",
      note: "Third time asking, clearly annoyed.",
    });
    expect(missed.status).toBe(201);
    expect(await missed.json()).toMatchObject({ verdict: "missed", flag: { flagged: false, channel: "chat" } });
  });

  it("masks personal data in the note before storing it", async () => {
    const chat = await calmChat();
    const res = await judge("interactions", chat.id, {
      verdict: "missed",
      note: "Rang back from +44 7700 900987, email jo.bloggs@example.com",
    });
    const v = await res.json();
    expect(v.note).not.toContain("900987");
    expect(v.note).not.toContain("jo.bloggs@example.com");
    const [row] = (await h.runtime.db.$client.execute({ sql: "SELECT note FROM verdicts WHERE id = ?", args: [v.id] }))
      .rows;
    expect(String(row.note)).toBe(v.note);
    expect(String(row.note)).toContain("Rang back from");
  });
});

describe("bad input and credentials", () => {
  it("answers 404 for an unknown subject and 422 naming each bad field", async () => {
    expect((await judge("moments", "mom_nope", { verdict: "confirmed" })).status).toBe(404);
    expect((await judge("interactions", "int_nope", { verdict: "missed" })).status).toBe(404);
    const { moment } = await flaggedPost();
    const bad = await judge("moments", moment.id, { verdict: "maybe", reason: "Not A Code", note: "", extra: 1 });
    expect(bad.status).toBe(422);
    const fields = (await bad.json()).errors.map((e: { field: string }) => e.field).sort();
    expect(fields).toEqual(expect.arrayContaining(["verdict", "reason", "note"]));
    const notJson = await h.request("POST", `/v1/moments/${moment.id}/verdict`, {
      body: "verdict=confirmed",
      headers: { "content-type": "text/plain" },
    });
    expect(notJson.status).toBe(415);
  });

  it("needs the act permission to give one and review to list them: a read-only key does neither", async () => {
    const { moment, interaction } = await flaggedPost();
    for (const path of [`/v1/moments/${moment.id}/verdict`, `/v1/interactions/${interaction.id}/verdict`]) {
      expect((await h.request("POST", path, { key: null, body: { verdict: "confirmed" } })).status).toBe(401);
      expect((await h.request("POST", path, { key: h.keys.ingest, body: { verdict: "confirmed" } })).status).toBe(403);
      expect((await h.request("POST", path, { key: h.keys.read, body: { verdict: "confirmed" } })).status).toBe(403);
    }
    expect((await h.request("GET", "/v1/verdicts", { key: null })).status).toBe(401);
    expect((await h.request("GET", "/v1/verdicts", { key: h.keys.ingest })).status).toBe(403);
    expect((await h.request("GET", "/v1/verdicts", { key: h.keys.read })).status).toBe(403);
    expect((await h.request("GET", "/v1/verdicts", { key: h.keys.supervise })).status).toBe(200);
  });
});

describe("GET /v1/verdicts", () => {
  it("filters by verdict and pages with a cursor, newest first, without repeats", async () => {
    const page1 = verdictPage.parse(await (await h.request("GET", "/v1/verdicts?limit=2&history=true")).json());
    expect(page1.items).toHaveLength(2);
    const seen = page1.items.map((v) => v.id);
    let cursor = page1.nextCursor;
    while (cursor) {
      const page = verdictPage.parse(
        await (await h.request("GET", `/v1/verdicts?limit=2&history=true&cursor=${cursor}`)).json(),
      );
      seen.push(...page.items.map((v) => v.id));
      cursor = page.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    const [{ n: total }] = (await h.runtime.db.$client.execute("SELECT count(*) AS n FROM verdicts")).rows;
    expect(seen.length).toBe(Number(total));
    const missed = verdictPage.parse(await (await h.request("GET", "/v1/verdicts?verdict=missed")).json());
    expect(missed.items.length).toBeGreaterThanOrEqual(2);
    expect(missed.items.every((v) => v.verdict === "missed")).toBe(true);
    expect(seen.length).toBeGreaterThan(5);
  });

  it("answers only verdicts in the window, and refuses windows it cannot serve", async () => {
    const before = await (
      await h.request("GET", "/v1/verdicts?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z")
    ).json();
    expect(before.items).toEqual([]);
    const cases: Array<[string, string]> = [
      ["from=2026-04-10T00:00:00Z&to=2026-04-01T00:00:00Z", "to"],
      ["from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"],
      ["from=yesterday", "from"],
      ["verdict=right", "verdict.0"],
      ["limit=201", "limit"],
      ["cursor=not-a-cursor", "cursor"],
    ];
    for (const [q, field] of cases) {
      const res = await h.request("GET", `/v1/verdicts?${q}`);
      expect(res.status, q).toBe(422);
      expect(
        (await res.json()).errors.map((e: { field: string }) => e.field),
        q,
      ).toContain(field);
    }
  });
});

describe("erasure", () => {
  const count = async (sql: string, args: string[]) =>
    Number((await h.runtime.db.$client.execute({ sql, args })).rows[0].n);

  it("removes a customer's verdicts, history included, and no one else's", async () => {
    const erased = await flaggedPost();
    const kept = await flaggedPost();
    await judge("moments", erased.moment.id, { verdict: "confirmed" });
    await judge("moments", erased.moment.id, { verdict: "false_alarm", note: "changed my mind" });
    await judge("interactions", erased.interaction.id, { verdict: "confirmed" });
    await judge("moments", kept.moment.id, { verdict: "confirmed" });
    expect(await count("SELECT count(*) AS n FROM verdicts WHERE customer_id = ?", [erased.customerId])).toBe(3);
    const res = await h.request("DELETE", `/v1/customers/${erased.customerId}`, { key: h.keys.admin });
    expect(res.status).toBe(200);
    expect((await res.json()).erased.verdicts).toBe(3);
    expect(
      await count("SELECT count(*) AS n FROM verdicts WHERE customer_id = ? OR subject_id IN (?, ?)", [
        erased.customerId,
        erased.moment.id,
        erased.interaction.id,
      ]),
    ).toBe(0);
    expect(await count("SELECT count(*) AS n FROM verdicts WHERE subject_id = ?", [kept.moment.id])).toBe(1);
  });

  it("removes the verdicts on records erased by time range and on the moments they made", async () => {
    const { moment, interaction, customerId } = await flaggedPost();
    await judge("moments", moment.id, { verdict: "confirmed" });
    await judge("interactions", interaction.id, { verdict: "confirmed" });
    const res = await h.request(
      "DELETE",
      `/v1/customers/${customerId}/data?from=2026-04-09T00:00:00Z&to=2026-04-10T00:00:00Z`,
      { key: h.keys.admin },
    );
    expect((await res.json()).erased).toMatchObject({ interactions: 1, verdicts: 2 });
    expect(
      await count("SELECT count(*) AS n FROM verdicts WHERE subject_id IN (?, ?)", [moment.id, interaction.id]),
    ).toBe(0);
  });
});
