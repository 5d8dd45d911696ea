import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { failedWithdrawalThenChat } from "../support/journeys.js";
import { createHarness, type Harness, type TestPerson } from "../support/harness.js";
import { chatInput } from "../support/factories.js";
import { json, parsed, problem } from "../support/http.js";
import { agentReportSchema } from "../../src/contracts/agents.js";

// GET /v1/agents: who handled which moments, how fast, and how customers' sentiment moved in the
// chats each agent took, with the roles and key scopes that may read it.

let h: Harness;
let now = new Date("2026-03-10T10:00:00Z");
let agent: TestPerson;
let supervisor: TestPerson;
const MIN = 60_000;
const WINDOW = "from=2026-03-01T00:00:00Z&to=2026-03-31T00:00:00Z";

const report = async (query = WINDOW, auth: { key?: string; cookie?: string } = { key: undefined }) =>
  h.app.request(`/v1/agents?${query}`, {
    headers: auth.cookie ? { cookie: auth.cookie } : { authorization: `Bearer ${auth.key ?? h.keys.supervise}` },
  });

beforeAll(async () => {
  h = await createHarness({ MOMENT_ACK_TARGET_MINUTES: "critical=10,high=30,medium=60,low=240" }, { clock: () => now });
  agent = await h.person("agent", { username: "dana", name: "Dana Agent" });
  supervisor = await h.person("supervisor");
  const customer = { customerId: "crm-agents-1", email: "agents-1@example.com" };
  // Dana's chat: the customer starts furious and ends thankful; her agent id is her console username.
  const danaChat = await failedWithdrawalThenChat(h, customer, {
    failedAt: "2026-03-10T09:00:00Z",
    chatAt: "2026-03-10T09:01:00Z",
    session: { waitSeconds: 900, agentId: "dana" },
    turns: [
      { speaker: "customer", text: "My withdrawal failed, I waited 15 minutes and nobody helps. Ridiculous!" },
      { speaker: "agent", text: "I am sorry, I have fixed the withdrawal now." },
      { speaker: "customer", text: "Great, thank you so much, that is wonderful." },
    ],
  });
  // Another system's agent id that is no console person.
  await h.request("POST", "/v1/interactions", {
    body: chatInput({
      occurredAt: "2026-03-10T09:05:00Z",
      session: { agentId: "zendesk:user:77" },
      turns: [
        { speaker: "customer", text: "Thanks, the new card arrived and works well." },
        { speaker: "agent", text: "Glad to hear it." },
        { speaker: "customer", text: "Actually the app is broken again, this is terrible." },
      ],
    }),
  });
  await h.runtime.momentQueue.idle();
  // Dana acknowledges the moment from the console 45 minutes after it opened.
  const { customerId } = await json<{ customerId: string }>(danaChat);
  const moments = await json<{ items: Array<{ id: string; customerId: string }> }>(
    await h.request("GET", "/v1/moments?status=open"),
  );
  const theirs = moments.items.filter((m) => m.customerId === customerId);
  expect(theirs).toHaveLength(1);
  now = new Date(now.getTime() + 45 * MIN);
  const ack = await h.app.request(`http://localhost/console/moments/${theirs[0].id}/ack`, {
    method: "POST",
    headers: { cookie: agent.cookie, origin: "http://localhost", "content-type": "application/x-www-form-urlencoded" },
    body: "back=%2Fconsole%2Fmoments",
    redirect: "manual",
  });
  expect(ack.status).toBe(303);
});
afterAll(() => h.close());

describe("GET /v1/agents", () => {
  it("names the person who acknowledged, with their time to acknowledge against the target and their customers' sentiment", async () => {
    const body = await parsed(await report(WINDOW, { cookie: supervisor.cookie }), agentReportSchema);
    const dana = body.items.find((i) => i.agent.ref === `user:${agent.id}`)!;
    expect(dana.agent).toEqual({ ref: `user:${agent.id}`, name: "Dana Agent", kind: "person", transcriptId: "dana" });
    expect(dana.handled).toEqual({ acknowledged: 1, resolved: 0, closed: 0 });
    expect(dana.timeToAcknowledge.responded).toBe(1);
    // The moment opened when the chat was scored (the clock's 10:00), and was acknowledged at 10:45.
    expect(dana.timeToAcknowledge.medianMinutes).toBe(45);
    expect(dana.timeToAcknowledge.p90Minutes).toBe(45);
    const severity = dana.timeToAcknowledge.bySeverity.find((s) => s.responded === 1)!;
    expect(dana.timeToAcknowledge.breached).toBe(45 > severity.targetMinutes ? 1 : 0);
    expect(dana.sentiment).toMatchObject({ conversations: 1, improving: 1, worsening: 0 });
    expect(dana.sentiment!.end).toBeGreaterThan(dana.sentiment!.start);

    const other = body.items.find((i) => i.agent.kind === "transcript")!;
    expect(other.agent).toEqual({
      ref: null,
      name: "zendesk:user:77",
      kind: "transcript",
      transcriptId: "zendesk:user:77",
    });
    expect(other.handled.acknowledged).toBe(0);
    expect(other.sentiment).toMatchObject({ conversations: 1, worsening: 1 });
    expect(other.sentiment!.end).toBeLessThan(other.sentiment!.start);
    expect(body.truncated).toBe(false);
  });

  it("counts nothing outside the window, and defaults to the last 30 days", async () => {
    const empty = await parsed(await report("from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z"), agentReportSchema);
    expect(empty.items).toEqual([]);
    const dflt = await parsed(await report(""), agentReportSchema);
    expect(new Date(dflt.to).getTime() - new Date(dflt.from).getTime()).toBe(30 * 86_400_000);
    expect(dflt.items.length).toBe(2);
  });

  it("refuses a bad window, naming the field", async () => {
    expect(
      (await problem(await report("from=2026-03-31T00:00:00Z&to=2026-03-01T00:00:00Z"), "validation_failed"))
        .errors?.[0].field,
    ).toBe("to");
    expect(
      (await problem(await report("from=2020-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"), "validation_failed"))
        .errors?.[0].field,
    ).toBe("to");
    expect((await problem(await report("from=yesterday"), "validation_failed")).errors?.[0].field).toBe("from");
  });

  it("is for supervisors and admins, and keys with supervise or admin", async () => {
    expect((await report(WINDOW, { cookie: agent.cookie })).status).toBe(403);
    expect((await report(WINDOW, { cookie: supervisor.cookie })).status).toBe(200);
    const admin = await h.person("admin");
    expect((await report(WINDOW, { cookie: admin.cookie })).status).toBe(200);
    for (const key of [h.keys.read, h.keys.act, h.keys.ingest])
      expect((await report(WINDOW, { key })).status).toBe(403);
    for (const key of [h.keys.supervise, h.keys.admin]) expect((await report(WINDOW, { key })).status).toBe(200);
    const refused = await problem(await report(WINDOW, { key: h.keys.act }), "forbidden");
    expect(refused.detail).toContain('"review"');
    expect((await h.app.request(`/v1/agents?${WINDOW}`)).status).toBe(401);
  });
});
