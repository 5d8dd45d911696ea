import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { qualitySchema } from "../../src/contracts/quality.js";
import { createApiKey } from "../../src/services/api-keys.js";
import { chatInput, socialInput } from "../support/factories.js";
import { createHarness, type Harness } from "../support/harness.js";

// GET /v1/quality over a known set of verdicts: every figure follows from them.

let h: Harness;
let now = Date.parse("2026-04-10T12:00:00Z");
let second: string;
const WINDOW = "from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z";
const judge = (kind: "moments" | "interactions", id: string, body: unknown, key?: string) =>
  h.request("POST", `/v1/${kind}/${id}/verdict`, { key, body });

let n = 0;
async function flaggedPost(day: string) {
  const post = await (
    await h.request("POST", "/v1/interactions", {
      body: socialInput({
        customer: { customerId: `crm-q-${++n}` },
        occurredAt: `${day}T08:00:00Z`,
        text: "Charged twice AGAIN and nobody answers. Disgraceful, I want a manager NOW or I close my account!",
      }),
    })
  ).json();
  await h.runtime.momentQueue.idle();
  const interaction = await (await h.request("GET", `/v1/interactions/${post.id}`)).json();
  const moment = (await (await h.request("GET", `/v1/moments?customerId=${post.customerId}`)).json()).items[0];
  return { interaction, moment };
}
async function calmChat(day: string) {
  const post = await (
    await h.request("POST", "/v1/interactions", {
      body: chatInput({
        customer: { customerId: `crm-q-${++n}` },
        occurredAt: `${day}T09:00:00Z`,
        turns: [{ speaker: "customer", text: "Could you tell me when the branch opens on Saturday?" }],
      }),
    })
  ).json();
  return (await h.request("GET", `/v1/interactions/${post.id}`)).json();
}

beforeAll(async () => {
  h = await createHarness({}, { clock: () => new Date((now += 1000)) });
  second = (await createApiKey(h.runtime.db, "Second agent", ["act"])).key;
  const flags = [
    await flaggedPost("2026-03-30"),
    await flaggedPost("2026-03-31"),
    await flaggedPost("2026-04-07"),
    await flaggedPost("2026-04-08"),
  ];
  const calm = [await calmChat("2026-03-30"), await calmChat("2026-04-08"), await calmChat("2026-04-08")];
  // Interactions: 3 confirmed, 1 false alarm; 2 missed; one calm chat not judged.
  for (const f of flags.slice(0, 3)) await judge("interactions", f.interaction.id, { verdict: "confirmed" });
  const misleading = flags[3].interaction.analysis.complaint.reasons[0].code;
  await judge("interactions", flags[3].interaction.id, { verdict: "false_alarm", reason: misleading });
  await judge("interactions", calm[0].id, { verdict: "missed" });
  await judge("interactions", calm[1].id, { verdict: "missed" });
  // Moments: 1 confirmed, 2 false alarms, one unjudged. The second agent's later word on moment 1 is the one that counts.
  await judge("moments", flags[0].moment.id, { verdict: "confirmed" });
  await judge("moments", flags[1].moment.id, { verdict: "confirmed" });
  await judge("moments", flags[1].moment.id, { verdict: "false_alarm" }, second);
  await judge("moments", flags[2].moment.id, { verdict: "confirmed" });
  await judge("moments", flags[2].moment.id, { verdict: "false_alarm" });
});
afterAll(() => h.close());

describe("GET /v1/quality", () => {
  it("counts flags and verdicts, one vote per subject", async () => {
    const res = await h.request("GET", `/v1/quality?${WINDOW}`);
    expect(res.status).toBe(200);
    const q = qualitySchema.parse(await res.json());
    expect(q.flagsRaised).toEqual({ interactions: 4, moments: 4 });
    expect(q.verdicts).toEqual({ subjects: 9, confirmed: 4, falseAlarm: 3, missed: 2 });
    expect(q.coverage).toMatchObject({ hits: 7, n: 8 });
    expect(q.precision.interaction).toMatchObject({ hits: 3, n: 4, value: 0.75, low: 0.301, high: 0.954 });
    expect(q.precision.moment).toMatchObject({ hits: 1, n: 3 });
  });

  it("breaks precision down by week, channel, severity and reason, and counts misses", async () => {
    const q = qualitySchema.parse(await (await h.request("GET", `/v1/quality?${WINDOW}`)).json());
    expect(q.bucket).toBe("week");
    const week = (label: string) => q.buckets.indexOf(label);
    // 2026-03-30 is a Monday: flags of 30 and 31 March share a week, those of 7 and 8 April the next.
    expect(q.precision.byBucket.interaction[week("2026-03-30")]).toMatchObject({ hits: 2, n: 2 });
    expect(q.precision.byBucket.interaction[week("2026-04-06")]).toMatchObject({ hits: 1, n: 2 });
    expect(q.missed.byBucket[week("2026-03-30")]).toBe(1);
    expect(q.missed.byBucket[week("2026-04-06")]).toBe(1);
    expect(q.missed).toMatchObject({ total: 2, byChannel: [{ channel: "chat", n: 2 }] });
    expect(q.precision.byChannel).toContainEqual({
      kind: "interaction",
      channel: "social",
      precision: expect.objectContaining({ hits: 3, n: 4 }),
    });
    expect(q.precision.bySeverity.reduce((s, x) => s + x.precision.n, 0)).toBe(3);
    const reasons = q.precision.byReason.filter((r) => r.kind === "interaction");
    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.reduce((s, r) => s + r.namedOnFalseAlarm, 0)).toBe(1);
    for (const r of reasons) expect(r.precision.n).toBeLessThanOrEqual(4);
  });

  it("measures the thresholds in force and names the versions behind the figures", async () => {
    const q = qualitySchema.parse(await (await h.request("GET", `/v1/quality?${WINDOW}`)).json());
    expect(q.current.interaction).toMatchObject({
      threshold: 0.6,
      judgedFlags: 4,
      precision: { hits: 3, n: 4 },
      recall: { hits: 3, n: 5, value: 0.6 },
    });
    expect(q.current.moment).toMatchObject({ threshold: 0.6, precision: { hits: 1, n: 3 } });
    expect(q.versions.interactions).toHaveLength(1);
    expect(q.versions.interactions[0]).toMatchObject({ interactions: 7, flagged: 4 });
    expect(q.versions.moments).toEqual([{ version: expect.any(String), moments: 4 }]);
  });

  it("answers nothing for a window without flags, and refuses windows it cannot serve", async () => {
    const empty = qualitySchema.parse(
      await (await h.request("GET", "/v1/quality?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z")).json(),
    );
    expect(empty.verdicts.subjects).toBe(0);
    expect(empty.precision.interaction.value).toBeNull();
    const long = qualitySchema.parse(
      await (await h.request("GET", "/v1/quality?from=2025-01-01T00:00:00Z&to=2026-12-01T00:00:00Z")).json(),
    );
    expect(long.bucket).toBe("month");
    expect(long.verdicts.subjects).toBe(9);
    for (const [query, field] of [
      ["from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z", "to"],
      ["from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"],
      ["to=soon", "to"],
    ]) {
      const res = await h.request("GET", `/v1/quality?${query}`);
      expect(res.status).toBe(422);
      expect((await res.json()).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
  });

  it("has the dashboard say which analysis versions its window holds, and when they mix", async () => {
    const window = { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-05-01T00:00:00Z"), channels: [] };
    expect((await h.runtime.dashboards.run(window)).versions).toEqual([
      { version: expect.any(String), interactions: 7 },
    ]);
    await h.runtime.db.$client.execute(
      "UPDATE interactions SET analysis_version = 'older' WHERE rowid = (SELECT min(rowid) FROM interactions)",
    );
    const mixed = (await h.runtime.dashboards.run(window)).versions;
    expect(mixed).toHaveLength(2);
    expect(mixed).toContainEqual({ version: "older", interactions: 1 });
    const q = qualitySchema.parse(await (await h.request("GET", `/v1/quality?${WINDOW}`)).json());
    expect(q.versions.interactions.map((v) => v.version)).toContain("older");
  });

  it("needs the review permission (supervise or admin), which a read-only key lacks", async () => {
    expect((await h.request("GET", `/v1/quality?${WINDOW}`, { key: null })).status).toBe(401);
    expect((await h.request("GET", `/v1/quality?${WINDOW}`, { key: h.keys.ingest })).status).toBe(403);
    expect((await h.request("GET", `/v1/quality?${WINDOW}`, { key: h.keys.read })).status).toBe(403);
    expect((await h.request("GET", `/v1/quality?${WINDOW}`, { key: h.keys.supervise })).status).toBe(200);
  });
});
