import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";
import { json, parsed, problem } from "../support/http.js";
import { queuePageSchema, ackReportSchema } from "../../src/contracts/work.js";
import { momentSchema } from "../../src/contracts/moments.js";
import { createApiKey } from "../../src/services/api-keys.js";

// The work queue over the API: assignment, claim, snooze, time to acknowledge, the quiet close and
// re-open, and the webhook events they queue, against a clock the test moves.

let h: Harness;
let now = new Date("2026-03-10T10:00:00Z");
let other: string;
/** An agent's key: `act` acknowledges, claims and snoozes; `read` only reads. */
let agent: string;
const MIN = 60_000;

beforeAll(async () => {
  h = await createHarness(
    {
      MOMENT_ACK_TARGET_MINUTES: "critical=10,high=120",
      MOMENT_QUIET_CLOSE_HOURS: "48",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    },
    { clock: () => now },
  );
  agent = (await createApiKey(h.runtime.db, "first agent", ["act"])).key;
  other = (await createApiKey(h.runtime.db, "second agent", ["act"])).key;
  // Subscribed before anything happens, so every event below is queued for it.
  const hook = await h.request("POST", "/v1/webhooks", {
    key: h.keys.admin,
    body: {
      url: "http://127.0.0.1:9/earshot",
      events: ["moment.acknowledged", "moment.assigned", "moment.closed", "moment.reopened"],
    },
  });
  expect(hook.status).toBe(201);
});
afterAll(() => h.close());

const settle = () => h.runtime.momentQueue.idle();
const outbox = async (type: string) =>
  (
    await h.runtime.db.$client.execute({
      sql: "SELECT payload FROM webhook_deliveries WHERE event_type = ? ORDER BY created_at",
      args: [type],
    })
  ).rows.map((r) => JSON.parse(String(r.payload)) as { type: string; data: Record<string, any> });

/** A furious public complaint after a failed withdrawal and a long wait: a high or critical moment. */
async function angryStory(crm: string, at: string, name?: string) {
  const customer = { customerId: crm, email: `${crm}@example.com`, ...(name ? { name } : {}) };
  await h.request("POST", "/v1/events", {
    body: eventInput({ customer, type: "transaction", name: "withdrawal", status: "failed", occurredAt: at }),
  });
  await h.request("POST", "/v1/interactions", {
    body: chatInput({
      customer,
      occurredAt: new Date(new Date(at).getTime() + MIN).toISOString(),
      session: { waitSeconds: 900 },
      turns: [{ speaker: "customer", text: "My withdrawal failed, I waited 15 minutes and nobody helps. Ridiculous!" }],
    }),
  });
  await settle();
}

/** A mild one: a medium or low moment. */
async function mildStory(crm: string, at: string) {
  await h.request("POST", "/v1/interactions", {
    body: chatInput({
      customer: { customerId: crm },
      occurredAt: at,
      session: { waitSeconds: 50 },
      turns: [{ speaker: "customer", text: "The app keeps failing. Not happy." }],
    }),
  });
  await settle();
}

const queue = async (qs: string, key?: string) => {
  const res = await h.request("GET", `/v1/moments/queue${qs}`, { key: key ?? agent });
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(200);
  return parsed(res, queuePageSchema);
};

describe("the work queue", () => {
  let angry: string;
  let mild: string;

  it("lists unassigned moments most severe first, with the customer's name or best identifier", async () => {
    await mildStory("crm-wq-mild", "2026-03-10T09:40:00Z");
    await angryStory("crm-wq-angry", "2026-03-10T09:50:00Z", "Dana Angry");
    const page = await queue("?view=unassigned");
    expect(page.items.length).toBe(2);
    const [first, second] = page.items;
    const rank = ["low", "medium", "high", "critical"];
    expect(rank.indexOf(first.severity)).toBeGreaterThan(rank.indexOf(second.severity));
    expect(first.customer.label).toBe("Dana Angry");
    // No name: the CRM id, never the internal cus_ id.
    expect(second.customer.label).toBe("customer crm-wq-mild");
    expect(first.channels).toContain("chat");
    angry = first.id;
    mild = second.id;
    expect(first.ack).toMatchObject({ responded: false, breached: false });
    expect(page.total).toBe(2);
  });

  it("pages with a cursor in queue order and refuses a forged one", async () => {
    const one = await queue("?view=all&limit=1");
    expect(one.items.map((i) => i.id)).toEqual([angry]);
    const two = await queue(`?view=all&limit=1&cursor=${one.nextCursor}`);
    expect(two.items.map((i) => i.id)).toEqual([mild]);
    expect(two.nextCursor).toBeNull();
    const bad = await h.request("GET", "/v1/moments/queue?cursor=bm90LWEtY3Vyc29y", { key: agent });
    expect(bad.status).toBe(422);
    expect((await problem(bad, "validation_failed")).errors?.[0].field).toBe("cursor");
  });

  it("filters by channel, reason and need, and names a bad filter", async () => {
    expect((await queue("?channel=email")).items).toHaveLength(0);
    expect((await queue("?channel=chat")).items.map((i) => i.id)).toContain(angry);
    const angryItem = (await queue("")).items.find((i) => i.id === angry)!;
    const code = angryItem.reasons[0].code;
    expect((await queue(`?reason=${code}`)).items.map((i) => i.id)).toContain(angry);
    expect((await queue("?reason=no_such_reason")).items).toHaveLength(0);
    if (angryItem.needs.length)
      expect((await queue(`?need=${angryItem.needs[0]}`)).items.map((i) => i.id)).toContain(angry);
    const res = await h.request("GET", "/v1/moments/queue?channel=Chat!&view=everyone", { key: agent });
    const p = await problem(res, "validation_failed");
    expect(p.errors?.map((e) => e.field).sort()).toEqual(["channel.0", "view"]);
  });

  it("counts and marks breaches of the time-to-acknowledge target as the clock passes it", async () => {
    now = new Date(now.getTime() + 45 * MIN);
    const page = await queue("?view=unassigned");
    const item = page.items.find((i) => i.id === angry)!;
    expect(item.ack.breached).toBe(true);
    expect(item.ack.waitedSeconds).toBeGreaterThanOrEqual(45 * 60);
    // The milder moment's target (high: 120 min) is not reached yet.
    expect(page.items.find((i) => i.id === mild)!.ack.breached).toBe(false);
    expect(page.breached).toBe(1);
  });

  it("lets an agent claim a moment, shows it in their view, and refuses it to another agent", async () => {
    const res = await h.request("POST", `/v1/moments/${angry}/claim`, { key: agent });
    const m = await parsed(res, momentSchema);
    expect(m.assignee).toEqual({ id: expect.stringMatching(/^key:/), name: "first agent" });
    expect((await queue("?view=mine")).items.map((i) => i.id)).toEqual([angry]);
    expect((await queue("?view=mine", other)).items).toHaveLength(0);
    expect((await queue("?view=unassigned")).items.map((i) => i.id)).toEqual([mild]);
    const refused = await h.request("POST", `/v1/moments/${angry}/claim`, { key: other });
    expect((await problem(refused, "conflict")).detail).toMatch(/held by first agent/);
    expect((await h.request("POST", `/v1/moments/mom_none/claim`, { key: other })).status).toBe(404);
    expect((await h.request("POST", `/v1/moments/${angry}/claim`, { key: null })).status).toBe(401);
    const assigned = await outbox("moment.assigned");
    expect(assigned.at(-1)?.data).toMatchObject({
      id: angry,
      assignee: { name: "first agent" },
      byName: "first agent",
    });
  });

  it("lets a supervisor (admin) assign to a person and a team; the team view follows membership", async () => {
    const secondId = (
      await json<{ assignee: { id: string } }>(await h.request("POST", `/v1/moments/${mild}/claim`, { key: other }))
    ).assignee.id;
    const forbidden = await h.request("POST", `/v1/moments/${mild}/assign`, {
      key: agent,
      body: { team: "payments" },
    });
    expect(forbidden.status).toBe(403);
    const empty = await h.request("POST", `/v1/moments/${mild}/assign`, { key: h.keys.admin, body: {} });
    expect((await problem(empty, "validation_failed")).errors?.[0].field).toBe("person");
    const badTeam = await h.request("POST", `/v1/moments/${mild}/assign`, {
      key: h.keys.admin,
      body: { team: "Payments Team" },
    });
    expect((await problem(badTeam, "validation_failed")).errors?.[0].field).toBe("team");
    const ok = await h.request("POST", `/v1/moments/${mild}/assign`, {
      key: h.keys.admin,
      body: { team: "payments", person: null },
    });
    const m = await parsed(ok, momentSchema);
    expect(m).toMatchObject({ team: "payments", assignee: null });
    expect((await queue("?view=team", other)).items).toHaveLength(0);
    const put = await h.request("PUT", `/v1/teams/payments/members/${encodeURIComponent(secondId)}`, {
      key: h.keys.admin,
      body: { name: "Second Agent" },
    });
    expect(put.status).toBe(200);
    expect((await h.request("PUT", "/v1/teams/payments/members/x", { key: agent, body: { name: "x" } })).status).toBe(
      403,
    );
    const badName = await h.request("PUT", "/v1/teams/payments/members/x", { key: h.keys.admin, body: { name: "" } });
    expect((await problem(badName, "validation_failed")).errors?.[0].field).toBe("name");
    expect((await queue("?view=team", other)).items.map((i) => i.id)).toEqual([mild]);
    expect((await queue("?team=payments")).items.map((i) => i.id)).toEqual([mild]);
    const teams = await json<{ items: Array<{ name: string; members: Array<{ name: string }> }> }>(
      await h.request("GET", "/v1/teams", { key: agent }),
    );
    expect(teams.items).toEqual([{ name: "payments", members: [{ id: secondId, name: "Second Agent" }] }]);
    expect((await h.request("GET", "/v1/teams", { key: null })).status).toBe(401);
    expect((await h.request("DELETE", "/v1/teams/payments/members/nobody", { key: h.keys.admin })).status).toBe(404);
  });

  it("snoozes a moment out of the queue until its time, and refuses a snooze in the past", async () => {
    const past = await h.request("POST", `/v1/moments/${mild}/snooze`, {
      key: agent,
      body: { until: "2026-03-01T00:00:00Z" },
    });
    expect((await problem(past, "validation_failed")).errors?.[0].field).toBe("until");
    const notDate = await h.request("POST", `/v1/moments/${mild}/snooze`, {
      key: agent,
      body: { until: "soon" },
    });
    expect((await problem(notDate, "validation_failed")).errors?.[0].field).toBe("until");
    const until = new Date(now.getTime() + 2 * 3_600_000).toISOString();
    const res = await h.request("POST", `/v1/moments/${mild}/snooze`, { key: agent, body: { until } });
    expect((await parsed(res, momentSchema)).snoozedUntil).toBe(until);
    expect((await queue("?team=payments")).items).toHaveLength(0);
    expect((await queue("?team=payments&includeSnoozed=true")).items.map((i) => i.id)).toEqual([mild]);
    now = new Date(now.getTime() + 3 * 3_600_000);
    expect((await queue("?team=payments")).items.map((i) => i.id)).toEqual([mild]);
  });

  it("acknowledges as the person, queues moment.acknowledged, and reports time to acknowledge", async () => {
    const res = await h.request("POST", `/v1/moments/${angry}/ack`, { key: agent });
    const m = await parsed(res, momentSchema);
    expect(m.acknowledged).toMatchObject({ by: expect.stringMatching(/^key:/), name: "first agent" });
    const item = (await queue("?view=mine")).items[0];
    expect(item.ack).toMatchObject({ responded: true, breached: true });
    expect((await outbox("moment.acknowledged")).map((d) => d.data.id)).toEqual([angry]);
    const report = await parsed(
      // Time to acknowledge is a supervisor's report (the review permission).
      await h.request("GET", "/v1/moments/ack-times?from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z", {
        key: h.keys.admin,
      }),
      ackReportSchema,
    );
    const sev = report.items.find((i) => i.severity === item.severity)!;
    expect(sev).toMatchObject({ targetMinutes: item.ack.targetMinutes, responded: 1, breached: 1 });
    expect(sev.meanMinutesToRespond).toBeGreaterThan(45);
    expect(report.breached).toBeGreaterThanOrEqual(1);
    const bad = await h.request("GET", "/v1/moments/ack-times?from=2026-03-31T00:00:00Z&to=2026-03-01T00:00:00Z", {
      key: h.keys.admin,
    });
    expect((await h.request("GET", "/v1/moments/ack-times", { key: agent })).status).toBe(403);
    expect((await problem(bad, "validation_failed")).errors?.[0].field).toBe("to");
    expect((await h.request("GET", "/v1/moments/ack-times", { key: null })).status).toBe(401);
  });

  it("closes quiet moments in a bounded sweep, recorded as such, and re-opens one on a new signal", async () => {
    expect(await h.runtime.quietSweep.runOnce()).toBe(0);
    now = new Date(now.getTime() + 49 * 3_600_000);
    expect(await h.runtime.quietSweep.runOnce()).toBe(2);
    const closed = await parsed(await h.request("GET", `/v1/moments/${angry}`, { key: agent }), momentSchema);
    expect(closed).toMatchObject({ status: "closed", closed: { reason: "quiet" } });
    expect((await outbox("moment.closed")).map((d) => d.data.id).sort()).toEqual([angry, mild].sort());
    expect((await queue("?view=all")).items).toHaveLength(0);
    const ack = await h.request("POST", `/v1/moments/${angry}/ack`, { key: agent });
    expect(ack.status).toBe(409);
    // A new flagged signal inside the moment's window opens it again, waiting anew.
    await h.request("POST", "/v1/interactions", {
      body: socialInput({
        customer: { customerId: "crm-wq-angry" },
        occurredAt: "2026-03-11T09:00:00Z",
        authorHandle: "@dana_angry",
        text: "Worst bank ever, still cannot get my money out. Closing my account!",
      }),
    });
    await settle();
    const reopened = await parsed(await h.request("GET", `/v1/moments/${angry}`, { key: agent }), momentSchema);
    expect(reopened).toMatchObject({ status: "open", closed: null, acknowledged: null, openedAt: now.toISOString() });
    expect(reopened.assignee?.name).toBe("first agent");
    expect((await outbox("moment.reopened")).map((d) => d.data.id)).toEqual([angry]);
    expect((await queue("?view=mine")).items.map((i) => i.id)).toEqual([angry]);
  });
});
