import { afterAll, describe, expect, it } from "vitest";
import { auditPage, meSchema, userList, userSchema } from "../../src/contracts/people.js";
import { createHarness, type TestPerson } from "../support/harness.js";
import { parsed, problem } from "../support/http.js";
import { asPerson as asPersonOf, peopleFixture, ORIGIN } from "./people-fixture.js";

// People through the API: each endpoint's happy path, bad input naming the field, and every role and
// key scope, over app.request() against a real libSQL file.

const { h, admin, supervisor, agent } = await peopleFixture();
afterAll(() => h.close());
const asPerson = (p: TestPerson, method: string, path: string, body?: unknown) => asPersonOf(h, p, method, path, body);

const strong = "copper kettle whistles under grey skies";

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
