import { createRoute } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { type Scope, scopes } from "../../src/db/schema/index.js";
import { createApiKey, revokeApiKey } from "../../src/services/api-keys.js";
import {
  type Role,
  permissions,
  rolePermissions,
  roles,
  scopePermissions,
} from "../../src/services/people/permissions.js";
import { createHarness, type TestPerson } from "../support/harness.js";
import { problem } from "../support/http.js";

import {
  browse,
  call,
  cases,
  CONSOLE_PUBLIC,
  FOREIGN_ORIGIN,
  grants,
  isAllowed,
  label,
  ORIGIN,
  PUBLIC,
  routeTable,
} from "./route-table.js";

// The credential checks of every route, generated from the route table the app really serves (Hono's
// `app.routes`), the permission its OpenAPI document declares (`x-required-permission`, written by
// `secured()`) and, for console pages, the permission its `permit()` guard carries. Each route is
// called with a key of every scope and as a person of every role, and must let in exactly those the
// permission table (src/services/people/permissions.ts) grants. A route is either guarded, on one of
// the public lists (route-table.ts), or fails the first test, so a new route cannot ship without deciding.

const h = await createHarness();
afterAll(() => h.close());
const table = await routeTable(h.app);

/** A key with exactly one scope, from the real key service. */
const keyOf = new Map<Scope, string>();
for (const s of scopes) keyOf.set(s, (await createApiKey(h.runtime.db, `only ${s}`, [s])).key);
/** A signed-in person of each role, through the real sign-in form. */
const personOf = new Map<Role, TestPerson>();
for (const r of roles) personOf.set(r, await h.person(r));

describe("the route table", () => {
  it("gives every route the app serves a permission, a place on a public list, or a console guard", () => {
    expect(table.undeclared).toEqual([]);
    expect(table.scoped.length).toBeGreaterThan(25);
    expect(table.session.length).toBeGreaterThan(5);
  });

  it("lists only public routes that the app serves", () => {
    expect(table.public.map(label).sort()).toEqual([...PUBLIC].sort());
    expect(table.consolePublic.map(label).sort()).toEqual([...CONSOLE_PUBLIC].sort());
  });

  it("names only permissions of the table, each granted by some scope and some role but ingest by no role", () => {
    for (const r of [...table.scoped, ...table.session])
      if (r.needs !== "any") for (const p of r.needs) expect(permissions).toContain(p);
    for (const p of permissions) {
      expect(
        scopes.some((s) => scopePermissions[s].has(p)),
        p,
      ).toBe(true);
      expect(
        roles.some((r) => rolePermissions[r].has(p)),
        p,
      ).toBe(p !== "ingest");
    }
  });

  it("catches a route declared without a permission, documented or not, and a console route without a guard", async () => {
    const app = createApp(h.runtime);
    app.openapi(createRoute({ method: "get", path: "/v1/unscoped", responses: { 200: { description: "ok" } } }), (c) =>
      c.body(null, 200),
    );
    app.post("/v1/undocumented", (c) => c.body(null, 204));
    app.get("/console/unguarded", (c) => c.body(null, 204));
    expect((await routeTable(app)).undeclared).toEqual(
      expect.arrayContaining(["GET /v1/unscoped", "POST /v1/undocumented", "GET /console/unguarded"]),
    );
  });

  it("keeps acting on moments from a read-only key and from no role below agent", () => {
    const ack = table.scoped.find((r) => r.path === "/v1/moments/:id/ack")!;
    expect(ack.needs).toEqual(["act"]);
    expect(grants(scopePermissions.read, ack)).toBe(false);
    expect(grants(scopePermissions.act, ack)).toBe(true);
    expect(grants(rolePermissions.agent, ack)).toBe(true);
    const quality = table.session.find((r) => r.path === "/console/quality")!;
    expect(grants(rolePermissions.agent, quality)).toBe(false);
    expect(grants(rolePermissions.supervisor, quality)).toBe(true);
  });
});

describe.each(cases(table.scoped))("%s", (_name, route, url) => {
  it("answers 401 problem without credentials, for an unknown or revoked key, and a forged session", async () => {
    const none = await call(h.app, route, url);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="earshot"/);
    await problem(none, "unauthorized");

    await problem(
      await call(h.app, route, url, { authorization: "Bearer esk_never_issued_0000000000000000000000" }),
      "unauthorized",
    );
    const revoked = await createApiKey(h.runtime.db, "revoked", ["admin"]);
    await revokeApiKey(h.runtime.db, revoked.id);
    await problem(await call(h.app, route, url, { authorization: `Bearer ${revoked.key}` }), "unauthorized");
    await problem(await call(h.app, route, url, { cookie: "earshot_session=forged", origin: ORIGIN }), "unauthorized");
  });

  it.each(scopes.map((s) => [s]))(
    "lets a key with only the %s scope in exactly when its permissions grant it",
    async (scope) => {
      const res = await call(h.app, route, url, { authorization: `Bearer ${keyOf.get(scope)}` });
      if (grants(scopePermissions[scope], route)) expect(isAllowed(res), `${scope} → ${res.status}`).toBe(true);
      else {
        expect(res.status, scope).toBe(403);
        const body = await problem(res, "forbidden");
        if (route.needs !== "any") for (const p of route.needs) expect(body.detail).toContain(`"${p}"`);
      }
    },
  );

  it.each(roles.map((r) => [r]))("lets a signed-in %s in exactly when the role grants it", async (role) => {
    const res = await call(h.app, route, url, { cookie: personOf.get(role)!.cookie, origin: ORIGIN });
    if (grants(rolePermissions[role], route)) expect(isAllowed(res), `${role} → ${res.status}`).toBe(true);
    else {
      expect(res.status, role).toBe(403);
      expect((await problem(res, "forbidden")).detail).toContain(role);
    }
  });

  if (route.method !== "GET")
    it("refuses a signed-in browser's request from another site, or with no origin", async () => {
      const { cookie } = personOf.get("admin")!;
      const variants: Array<Record<string, string>> = [
        { origin: FOREIGN_ORIGIN },
        { "sec-fetch-site": "cross-site" },
        {},
      ];
      for (const headers of variants) {
        const res = await call(h.app, route, url, { cookie, ...headers });
        // Routes no person may call (ingest) refuse before the origin matters.
        expect(res.status).toBe(403);
        await problem(res, grants(rolePermissions.admin, route) ? "cross_site" : undefined);
      }
    });
});

describe.each(cases(table.public))("public %s", (_name, route, url) => {
  it("answers without a key", async () => {
    const res = await call(h.app, route, url);
    expect([401, 403, 500]).not.toContain(res.status);
  });
});

describe("console sessions", () => {
  let revokedCookie: string;
  beforeAll(async () => {
    const doomed = await h.person("agent");
    revokedCookie = doomed.cookie;
    const res = await h.request("DELETE", `/v1/users/${doomed.id}`, { key: h.keys.admin });
    expect(res.status).toBe(200);
  });

  describe.each(cases(table.session))("%s", (_name, route, url) => {
    const isPage = route.method === "GET" && !route.path.startsWith("/console/live");

    it(isPage ? "redirects to sign-in without a live session" : "answers 401 without a live session", async () => {
      for (const jar of [undefined, "earshot_session=forged", revokedCookie]) {
        const res = await browse(h.app, route, url, { cookie: jar });
        if (isPage) {
          expect(res.status, `cookie ${jar}`).toBe(303);
          expect(res.headers.get("location")).toBe(`/console/sign-in?next=${encodeURIComponent(url)}`);
        } else {
          expect(res.status, `cookie ${jar}`).toBe(401);
        }
      }
    });

    it.each(roles.map((r) => [r]))("serves a signed-in %s exactly when the role grants it", async (role) => {
      const res = await browse(h.app, route, url, { cookie: personOf.get(role)!.cookie });
      if (grants(rolePermissions[role], route)) expect(isAllowed(res), `${role} → ${res.status}`).toBe(true);
      else expect(res.status, role).toBe(403);
    });
  });

  describe.each(cases([...table.session, ...table.consolePublic].filter((r) => r.method === "POST")))(
    "%s",
    (_name, route, url) => {
      it("refuses a form posted from another site (CSRF), signed in or not", async () => {
        for (const jar of [undefined, personOf.get("admin")!.cookie]) {
          expect((await browse(h.app, route, url, { cookie: jar, origin: FOREIGN_ORIGIN })).status).toBe(403);
          expect(
            (await browse(h.app, route, url, { cookie: jar, origin: FOREIGN_ORIGIN, fetchSite: "cross-site" })).status,
          ).toBe(403);
        }
      });
    },
  );
});
