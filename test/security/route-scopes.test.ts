import { createRoute } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../src/app.js";
import { type Scope, scopes } from "../../src/db/schema/index.js";
import { createApiKey, revokeApiKey } from "../../src/services/api-keys.js";
import { createHarness } from "../support/harness.js";
import { json, problem } from "../support/http.js";

// The credential checks of every route, generated from the route table the app really serves (Hono's
// `app.routes`) and the scopes its OpenAPI document declares (`x-required-scope`, written by
// `secured()`). A route is either scoped, on one of the public lists below, or a console page behind
// the session; anything else fails the first test, so a new route cannot ship without deciding.

/** Routes anyone may call: probes, the API's own description and the way into the console. */
const PUBLIC = [
  "GET /",
  "GET /healthz",
  "GET /readyz",
  "GET /openapi.json",
  "GET /docs",
  "GET /docs/assets/init.js",
  "GET /docs/assets/:file",
];
/** Console routes served without a session: its assets and the sign-in and sign-out forms. */
const CONSOLE_PUBLIC = [
  "GET /console/assets/:name",
  "GET /console/sign-in",
  "POST /console/sign-in",
  "POST /console/sign-out",
];

const ORIGIN = "http://localhost";
const FOREIGN_ORIGIN = "https://attacker.example";

interface Route {
  method: string;
  path: string;
  /** The scopes any one of which lets a key in (empty for public and console routes). */
  scopes: Scope[];
}
interface Spec {
  paths: Record<string, Record<string, { "x-required-scope"?: string }>>;
}
interface RouteTable {
  scoped: Route[];
  public: Route[];
  consolePublic: Route[];
  /** Console routes behind `requireSession`. */
  session: Route[];
  /** Routes that neither declare a scope nor are listed as public: each one is a failure. */
  undeclared: string[];
}

/** Every method and path `app` serves; `use()` middleware (ALL on a `*` path) is not a route. */
function servedRoutes(app: App): Array<{ method: string; path: string }> {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes) {
    if (r.method === "ALL" && r.path.endsWith("*")) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

async function routeTable(app: App): Promise<RouteTable> {
  const spec = await json<Spec>(await app.request("/openapi.json"));
  const table: RouteTable = { scoped: [], public: [], consolePublic: [], session: [], undeclared: [] };
  for (const { method, path } of servedRoutes(app)) {
    const name = `${method} ${path}`;
    const documented = spec.paths[path.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()];
    const declared = documented?.["x-required-scope"];
    if (declared) table.scoped.push({ method, path, scopes: declared.split(" or ") as Scope[] });
    else if (PUBLIC.includes(name)) table.public.push({ method, path, scopes: [] });
    else if (CONSOLE_PUBLIC.includes(name)) table.consolePublic.push({ method, path, scopes: [] });
    else if ((path === "/console" || path.startsWith("/console/")) && !documented)
      table.session.push({ method, path, scopes: [] });
    else table.undeclared.push(name);
  }
  return table;
}

/**
 * The concrete URLs of a route pattern: a `:param` becomes an id no row has, `:param{a|b}` each of
 * its alternatives. Any other pattern must be taught here, not guessed.
 */
function urlsOf(path: string): string[] {
  const m = /:(\w+)\{([^}]*)\}/.exec(path);
  if (m) {
    if (!/^[\w-]+(\|[\w-]+)*$/.test(m[2])) throw new Error(`${path}: teach urlsOf this parameter pattern`);
    return m[2].split("|").flatMap((alt) => urlsOf(path.replace(m[0], alt)));
  }
  if (path.includes("*")) throw new Error(`${path}: teach urlsOf this wildcard`);
  return [path.replace(/:\w+/g, "zz_no_such_id")];
}

const h = await createHarness();
afterAll(() => h.close());
const table = await routeTable(h.app);

/** A key with every scope but admin and the accepted ones (possibly none), from the real key service. */
const keyWithout = (accepted: Scope[]) =>
  createApiKey(
    h.runtime.db,
    `lacks ${accepted.join("+")}`,
    scopes.filter((s) => s !== "admin" && !accepted.includes(s)),
  );

/** A request as a client sends it; the body is JSON (`{}`) so a route that read it before the key would be caught. */
async function call(route: Route, url: string, headers: Record<string, string> = {}) {
  const withBody = route.method !== "GET" && route.method !== "DELETE";
  const res = await h.app.request(`${ORIGIN}${url}`, {
    method: route.method,
    headers: { ...(withBody ? { "content-type": "application/json" } : {}), ...headers },
    body: withBody ? "{}" : undefined,
    redirect: "manual",
  });
  // Streams (SSE) stay open: reading the head is enough, then the body is let go.
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body?.cancel();
  return res;
}

/** A console request as a browser sends it: a form post with an Origin, the session cookie if any. */
async function browse(route: Route, url: string, opts: { cookie?: string; origin?: string; fetchSite?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (route.method === "POST") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers.origin = opts.origin ?? ORIGIN;
    if (opts.fetchSite) headers["sec-fetch-site"] = opts.fetchSite;
  }
  const res = await h.app.request(`${ORIGIN}${url}`, {
    method: route.method,
    headers,
    body: route.method === "POST" ? "back=/console" : undefined,
    redirect: "manual",
  });
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body?.cancel();
  return res;
}

async function signIn(key: string): Promise<Response> {
  return h.app.request(`${ORIGIN}/console/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: new URLSearchParams({ key, next: "/console" }).toString(),
    redirect: "manual",
  });
}
const cookieOf = (res: Response) => (res.headers.get("set-cookie") ?? "").split(";")[0];

const label = (r: Route) => `${r.method} ${r.path}`;
/** One case per concrete URL, named by its method and URL. */
const cases = (routes: Route[]) =>
  routes.flatMap((r) => urlsOf(r.path).map((url) => [`${r.method} ${url}`, r, url] as const));

describe("the route table", () => {
  it("gives every route the app serves a scope, a place on a public list, or the console's session", () => {
    expect(table.undeclared).toEqual([]);
    expect(table.scoped.length).toBeGreaterThan(25);
    expect(table.session.length).toBeGreaterThan(5);
  });

  it("lists only public routes that the app serves", () => {
    expect(table.public.map(label).sort()).toEqual([...PUBLIC].sort());
    expect(table.consolePublic.map(label).sort()).toEqual([...CONSOLE_PUBLIC].sort());
  });

  it("catches a route declared without a scope, documented or not", async () => {
    const app = createApp(h.runtime);
    app.openapi(createRoute({ method: "get", path: "/v1/unscoped", responses: { 200: { description: "ok" } } }), (c) =>
      c.body(null, 200),
    );
    app.post("/v1/undocumented", (c) => c.body(null, 204));
    expect((await routeTable(app)).undeclared).toEqual(
      expect.arrayContaining(["GET /v1/unscoped", "POST /v1/undocumented"]),
    );
  });
});

describe.each(cases(table.scoped))("%s", (_name, route, url) => {
  it("answers 401 problem without a key, and for an unknown or revoked key", async () => {
    const none = await call(route, url);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm="earshot"/);
    await problem(none, "unauthorized");

    await problem(
      await call(route, url, { authorization: "Bearer esk_never_issued_0000000000000000000000" }),
      "unauthorized",
    );
    const revoked = await createApiKey(h.runtime.db, "revoked", [...route.scopes]);
    await revokeApiKey(h.runtime.db, revoked.id);
    await problem(await call(route, url, { authorization: `Bearer ${revoked.key}` }), "unauthorized");
  });

  it(`answers 403 problem for a key without ${route.scopes.join(" or ")}`, async () => {
    const { key } = await keyWithout(route.scopes);
    const res = await call(route, url, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(403);
    const body = await problem(res, "forbidden");
    for (const s of route.scopes) expect(body.detail).toContain(`"${s}"`);
  });

  it("lets in a key with each accepted scope, and admin", async () => {
    for (const scopeSet of [...route.scopes.map((s) => [s]), ["admin"]] as Scope[][]) {
      const { key } = await createApiKey(h.runtime.db, `has ${scopeSet}`, scopeSet);
      const res = await call(route, url, { authorization: `Bearer ${key}` });
      expect([401, 403, 500], `${scopeSet} → ${res.status}`).not.toContain(res.status);
    }
  });
});

describe.each(cases(table.public))("public %s", (_name, route, url) => {
  it("answers without a key", async () => {
    const res = await call(route, url);
    expect([401, 403, 500]).not.toContain(res.status);
  });
});

describe("console sessions", () => {
  let cookie: string;
  let revokedCookie: string;
  beforeAll(async () => {
    cookie = cookieOf(await signIn(h.keys.read));
    const doomed = await createApiKey(h.runtime.db, "console, then revoked", ["read"]);
    revokedCookie = cookieOf(await signIn(doomed.key));
    await revokeApiKey(h.runtime.db, doomed.id);
  });

  it("opens a session only for a key that can read", async () => {
    const read = await signIn(h.keys.read);
    expect(read.status).toBe(303);
    expect(cookieOf(read)).toMatch(/^earshot_session=./);
    const ingestOnly = await signIn(h.keys.ingest);
    expect(ingestOnly.status).toBe(403);
    expect(ingestOnly.headers.get("set-cookie")).toBeNull();
    expect((await signIn("esk_never_issued_0000000000000000000000")).status).toBe(401);
  });

  describe.each(cases(table.session))("%s", (_name, route, url) => {
    const isPage = route.method === "GET" && !route.path.startsWith("/console/live");

    it(isPage ? "redirects to sign-in without a live session" : "answers 401 without a live session", async () => {
      for (const jar of [undefined, "earshot_session=forged", revokedCookie]) {
        const res = await browse(route, url, { cookie: jar });
        if (isPage) {
          expect(res.status, `cookie ${jar}`).toBe(303);
          expect(res.headers.get("location")).toBe(`/console/sign-in?next=${encodeURIComponent(url)}`);
        } else {
          expect(res.status, `cookie ${jar}`).toBe(401);
        }
      }
    });

    it("serves a signed-in reader", async () => {
      const res = await browse(route, url, { cookie });
      expect([401, 403, 500]).not.toContain(res.status);
      expect(res.headers.get("location") ?? "").not.toMatch(/sign-in/);
    });
  });

  describe.each(cases([...table.session, ...table.consolePublic].filter((r) => r.method === "POST")))(
    "%s",
    (_name, route, url) => {
      it("refuses a form posted from another site (CSRF), signed in or not", async () => {
        for (const jar of [undefined, cookie]) {
          expect((await browse(route, url, { cookie: jar, origin: FOREIGN_ORIGIN })).status).toBe(403);
          expect(
            (await browse(route, url, { cookie: jar, origin: FOREIGN_ORIGIN, fetchSite: "cross-site" })).status,
          ).toBe(403);
        }
      });
    },
  );
});
