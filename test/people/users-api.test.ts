import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditPage, meSchema, userList, userSchema } from "../../src/contracts/people.js";
import { createHarness, type Harness, type TestPerson } from "../support/harness.js";
import { parsed, problem } from "../support/http.js";
import { chatInput } from "../support/factories.js";

// People through the API: each endpoint's happy path, bad input naming the field, and every role and
// key scope, over app.request() against a real libSQL file.

const ORIGIN = "http://localhost";
let h: Harness;
let admin: TestPerson;
let supervisor: TestPerson;
let agent: TestPerson;

/** A request as a signed-in person's browser sends it: the session cookie, the console's Origin. */
function asPerson(p: TestPerson, method: string, path: string, body?: unknown) {
  return h.app.request(`${ORIGIN}${path}`, {
    method,
    headers: {
      cookie: p.cookie,
      origin: ORIGIN,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

const strong = "copper kettle whistles under grey skies";

beforeAll(async () => {
  h = await createHarness();
  admin = await h.person("admin", { name: "Ada Admin" });
  supervisor = await h.person("supervisor", { name: "Sol Supervisor" });
  agent = await h.person("agent", { name: "Ana Agent" });
});
afterAll(() => h.close());

describe("GET /v1/me", () => {
  it("names the signed-in person with their role and permissions", async () => {
    const me = await parsed(await asPerson(agent, "GET", "/v1/me"), meSchema);
    expect(me).toEqual({
      kind: "person",
      id: agent.id,
      name: "Ana Agent",
      role: "agent",
      permissions: ["view", "act"],
    });
  });

  it("names a key with its scopes and permissions, and refuses no credentials", async () => {
    const me = await parsed(await h.request("GET", "/v1/me", { key: h.keys.read }), meSchema);
    expect(me).toMatchObject({ kind: "key", name: "test read", scopes: ["read"], permissions: ["view"] });
    const ingest = await parsed(await h.request("GET", "/v1/me", { key: h.keys.ingest }), meSchema);
    expect(ingest.permissions).toEqual(["ingest"]);
    await problem(await h.request("GET", "/v1/me", { key: null }), "unauthorized");
  });
});

describe("/v1/users", () => {
  it("lets an admin (person or key) add, read, change and disable a person, each change audited as who made it", async () => {
    const created = await asPerson(admin, "POST", "/v1/users", {
      username: "  Bea.Lee@Example.com ",
      displayName: "Bea Lee",
      role: "agent",
      password: strong,
    });
    expect(created.status).toBe(201);
    const bea = await parsed(created, userSchema);
    expect(bea).toMatchObject({
      username: "bea.lee@example.com",
      role: "agent",
      signIn: ["password"],
      disabledAt: null,
    });
    expect(JSON.stringify(bea)).not.toContain(strong);
    expect(JSON.stringify(bea)).not.toContain("argon2");

    const one = await parsed(await asPerson(admin, "GET", `/v1/users/${bea.id}`), userSchema);
    expect(one.id).toBe(bea.id);
    const all = await parsed(await h.request("GET", "/v1/users", { key: h.keys.admin }), userList);
    expect(all.items.map((u) => u.username)).toContain("bea.lee@example.com");

    const promoted = await parsed(
      await asPerson(admin, "PATCH", `/v1/users/${bea.id}`, { role: "supervisor" }),
      userSchema,
    );
    expect(promoted.role).toBe("supervisor");
    const renamed = await h.request("PATCH", `/v1/users/${bea.id}`, {
      key: h.keys.admin,
      body: { displayName: "Bea Lee-Park" },
    });
    expect((await parsed(renamed, userSchema)).displayName).toBe("Bea Lee-Park");
    const disabled = await parsed(await asPerson(admin, "DELETE", `/v1/users/${bea.id}`), userSchema);
    expect(disabled.disabledAt).not.toBeNull();

    const trail = await parsed(await asPerson(admin, "GET", `/v1/audit?subjectId=${bea.id}`), auditPage);
    expect(trail.items.map((e) => [e.action, e.by.id, e.by.name])).toEqual([
      ["user_disabled", `user:${admin.id}`, "Ada Admin"],
      ["user_updated", expect.stringMatching(/^key:key_/), "test admin"],
      ["role_changed", `user:${admin.id}`, "Ada Admin"],
      ["user_created", `user:${admin.id}`, "Ada Admin"],
    ]);
    expect(trail.items[2].details).toEqual({ from: "agent", to: "supervisor" });
  });

  it("applies a role change to the person's open session at once", async () => {
    const p = await h.person("agent");
    expect((await asPerson(p, "GET", "/v1/quality")).status).toBe(403);
    await h.request("PATCH", `/v1/users/${p.id}`, { key: h.keys.admin, body: { role: "supervisor" } });
    expect((await asPerson(p, "GET", "/v1/quality")).status).toBe(200);
  });

  it("refuses bad input naming each field", async () => {
    const bad = await asPerson(admin, "POST", "/v1/users", {
      username: "-x",
      displayName: "",
      role: "boss",
      password: "short",
    });
    expect(bad.status).toBe(422);
    const fields = (await problem(bad, "validation_failed")).errors!.map((e) => e.field).sort();
    expect(fields).toEqual(["displayName", "password", "role", "username"]);
    const extra = await asPerson(admin, "POST", "/v1/users", {
      username: "ok",
      displayName: "Ok",
      role: "agent",
      isAdmin: true,
    });
    expect(extra.status).toBe(422);
    const empty = await asPerson(admin, "PATCH", `/v1/users/${agent.id}`, {});
    expect(empty.status).toBe(422);
    const notJson = await h.app.request(`${ORIGIN}/v1/users`, {
      method: "POST",
      headers: { cookie: admin.cookie, origin: ORIGIN, "content-type": "application/json" },
      body: "{",
    });
    await problem(notJson, "malformed_json");
  });

  it("refuses a guessable password naming the field, a taken username, and an unknown person", async () => {
    const weak = await asPerson(admin, "POST", "/v1/users", {
      username: "carl",
      displayName: "Carl",
      role: "agent",
      password: "password1234",
    });
    const body = await problem(weak, "validation_failed");
    expect(body.errors).toEqual([
      expect.objectContaining({ field: "password", message: expect.stringContaining("too easy to guess") }),
    ]);
    // The username and name count as known to whoever guesses.
    const own = await asPerson(admin, "POST", "/v1/users", {
      username: "dorotheawilliamson",
      displayName: "Dorothea Williamson",
      role: "agent",
      password: "dorotheawilliamson1",
    });
    expect(own.status).toBe(422);
    const taken = await asPerson(admin, "POST", "/v1/users", {
      username: agent.username,
      displayName: "Someone Else",
      role: "agent",
    });
    await problem(taken, "conflict");
    await problem(await asPerson(admin, "GET", "/v1/users/usr_nobody"), "not_found");
    await problem(await asPerson(admin, "PATCH", "/v1/users/usr_nobody", { role: "agent" }), "not_found");
  });

  it("keeps an enabled admin: the only one cannot be demoted or disabled", async () => {
    const solo = await createHarness();
    try {
      const only = await solo.person("admin");
      const demote = await solo.request("PATCH", `/v1/users/${only.id}`, {
        key: solo.keys.admin,
        body: { role: "agent" },
      });
      expect((await problem(demote, "conflict")).detail).toContain("only enabled admin");
      await problem(await solo.request("DELETE", `/v1/users/${only.id}`, { key: solo.keys.admin }), "conflict");
      const second = await solo.person("admin");
      expect((await solo.request("DELETE", `/v1/users/${only.id}`, { key: solo.keys.admin })).status).toBe(200);
      await problem(await solo.request("DELETE", `/v1/users/${second.id}`, { key: solo.keys.admin }), "conflict");
    } finally {
      await solo.close();
    }
  });

  it("is for admins only: supervisors, agents and every other key scope get 403", async () => {
    for (const p of [supervisor, agent]) {
      for (const [method, path] of [
        ["GET", "/v1/users"],
        ["POST", "/v1/users"],
        ["GET", `/v1/users/${agent.id}`],
        ["PATCH", `/v1/users/${agent.id}`],
        ["DELETE", `/v1/users/${agent.id}`],
        ["GET", "/v1/audit"],
      ]) {
        const res = await asPerson(
          p,
          method,
          path,
          method === "POST" || method === "PATCH" ? { role: "admin" } : undefined,
        );
        expect(res.status, `${p.username} ${method} ${path}`).toBe(403);
        expect((await problem(res, "forbidden")).detail).toContain('"manage_users"');
      }
    }
    for (const key of [h.keys.read, h.keys.act, h.keys.supervise, h.keys.ingest])
      expect((await h.request("GET", "/v1/users", { key })).status).toBe(403);
    // An agent cannot make themselves admin.
    expect((await asPerson(agent, "PATCH", `/v1/users/${agent.id}`, { role: "admin" })).status).toBe(403);
  });

  it("refuses a cookie-authenticated change from another site", async () => {
    const res = await h.app.request(`${ORIGIN}/v1/users`, {
      method: "POST",
      headers: { cookie: admin.cookie, origin: "https://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ username: "mallory", displayName: "Mallory", role: "admin", password: strong }),
    });
    await problem(res, "cross_site");
    const list = await parsed(await asPerson(admin, "GET", "/v1/users"), userList);
    expect(list.items.map((u) => u.username)).not.toContain("mallory");
  });
});

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
