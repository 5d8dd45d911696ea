import { afterAll, describe, expect, it } from "vitest";
import { auditPage } from "../../src/contracts/people.js";
import type { TestPerson } from "../support/harness.js";
import { parsed, problem } from "../support/http.js";
import { chatInput } from "../support/factories.js";
import { asPerson as asPersonOf, peopleFixture, ORIGIN } from "./people-fixture.js";

// The audit log through the API (sign-ins and their failures, paging, refusals), and what a person
// does with their session recorded as them, over app.request() against a real libSQL file.

const { h, admin, supervisor, agent } = await peopleFixture();
afterAll(() => h.close());
const asPerson = (p: TestPerson, method: string, path: string, body?: unknown) => asPersonOf(h, p, method, path, body);

describe("GET /v1/audit", () => {
  it("records sign-ins, failed sign-ins and sign-outs without what was typed", async () => {
    const p = await h.person("agent", { username: "audited" });
    const form = (username: string, password: string) =>
      h.app.request(`${ORIGIN}/console/sign-in`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ username, password }).toString(),
        redirect: "manual",
      });
    expect((await form("audited", "not the password at all")).status).toBe(401);
    expect((await form("no-such-person-here", "hunter2hunter2")).status).toBe(401);
    await h.app.request(`${ORIGIN}/console/sign-out`, {
      method: "POST",
      headers: { cookie: p.cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: "",
      redirect: "manual",
    });
    const mine = await parsed(await asPerson(admin, "GET", `/v1/audit?subjectId=${p.id}`), auditPage);
    expect(mine.items.map((e) => e.action)).toEqual(["sign_out", "sign_in_failed", "sign_in", "user_created"]);
    expect(mine.items[1]).toMatchObject({
      by: { id: "anonymous" },
      details: { method: "password", reason: "wrong_password" },
    });
    expect(mine.items[2]).toMatchObject({ by: { id: `user:${p.id}` }, details: { method: "password" } });
    const failed = await parsed(await asPerson(admin, "GET", "/v1/audit?action=sign_in_failed"), auditPage);
    expect(failed.items.find((e) => e.details.reason === "unknown_username")?.subjectId).toBeNull();
    const everything = JSON.stringify(
      (await parsed(await asPerson(admin, "GET", "/v1/audit?limit=200"), auditPage)).items,
    );
    for (const typed of ["no-such-person-here", "hunter2hunter2", "not the password at all", p.password])
      expect(everything).not.toContain(typed);
  });

  it("pages newest first and refuses a bad action or cursor naming the field", async () => {
    const first = await parsed(await asPerson(admin, "GET", "/v1/audit?limit=2"), auditPage);
    expect(first.items).toHaveLength(2);
    const next = await parsed(await asPerson(admin, "GET", `/v1/audit?limit=2&cursor=${first.nextCursor}`), auditPage);
    expect(next.items[0].at <= first.items[1].at).toBe(true);
    expect(next.items.map((e) => e.id)).not.toContain(first.items[1].id);
    const bad = await problem(await asPerson(admin, "GET", "/v1/audit?action=hacked&limit=0"), "validation_failed");
    expect(bad.errors!.map((e) => e.field).sort()).toEqual(["action", "limit"]);
    await problem(await asPerson(admin, "GET", "/v1/audit?cursor=nope"), "validation_failed");
  });
});

describe("what a person does is recorded as them", () => {
  it("names the person on acknowledgements, resolutions and verdicts given with their session", async () => {
    const post = await (
      await h.request("POST", "/v1/interactions", {
        body: chatInput({
          customer: { customerId: "crm-people-1" },
          turns: [
            {
              speaker: "customer",
              text: "Charged twice again, this is a disgrace, I am closing my account and complaining!",
            },
          ],
        }),
      })
    ).json();
    await h.runtime.momentQueue.idle();
    const [m] = (await (await h.request("GET", `/v1/moments?customerId=${post.customerId}`)).json()).items;
    expect(m).toBeDefined();
    const acked = await (await asPerson(agent, "POST", `/v1/moments/${m.id}/ack`)).json();
    expect(acked.acknowledged).toMatchObject({ by: `user:${agent.id}`, name: "Ana Agent" });
    const verdict = await asPerson(agent, "POST", `/v1/moments/${m.id}/verdict`, { verdict: "confirmed" });
    expect(verdict.status).toBe(201);
    expect((await verdict.json()).by).toEqual({ id: `user:${agent.id}`, name: "Ana Agent", via: "api" });
    const resolved = await (await asPerson(supervisor, "POST", `/v1/moments/${m.id}/resolve`)).json();
    expect(resolved.resolved).toMatchObject({ by: `user:${supervisor.id}`, name: "Sol Supervisor" });
    const events = await h.runtime.db.$client.execute({
      sql: "SELECT payload FROM moment_events WHERE moment_id = ? AND type IN ('moment.acknowledged', 'moment.resolved') ORDER BY seq",
      args: [m.id],
    });
    expect(events.rows.map((r) => JSON.parse(String(r.payload)).byName)).toEqual(["Ana Agent", "Sol Supervisor"]);
  });
});
