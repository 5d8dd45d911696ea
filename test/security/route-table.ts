import type { App } from "../../src/app.js";
import type { Permission } from "../../src/services/people/permissions.js";
import { json } from "../support/http.js";

// The route table route-scopes.test.ts generates its credential tests from (the routes the app
// serves, sorted by the permission each declares or carries), and the requests those tests send.

/** Routes anyone may call: probes, the API's own description and the way into the console. */
export const PUBLIC = [
  "GET /",
  "GET /healthz",
  "GET /readyz",
  "GET /openapi.json",
  "GET /docs",
  "GET /docs/assets/init.js",
  "GET /docs/assets/:file",
];
/** Console routes served without a session: its assets, sign-in (password and OpenID) and sign-out. */
export const CONSOLE_PUBLIC = [
  "GET /console/assets/:name",
  "GET /console/sign-in",
  "POST /console/sign-in",
  "GET /console/oidc/start",
  "GET /console/oidc/callback",
  "POST /console/sign-out",
];

export const ORIGIN = "http://localhost";
export const FOREIGN_ORIGIN = "https://attacker.example";

export interface Route {
  method: string;
  path: string;
  /** Any one of these lets a principal in; "any": anyone authenticated; empty for public routes. */
  needs: Permission[] | "any";
}
interface Spec {
  paths: Record<string, Record<string, { "x-required-permission"?: string; "x-required-scope"?: string }>>;
}
export interface RouteTable {
  scoped: Route[];
  public: Route[];
  consolePublic: Route[];
  /** Console routes behind the session, each with its `permit()` permission. */
  session: Route[];
  /** Routes that neither declare a permission nor are listed as public: each one is a failure. */
  undeclared: string[];
}

type Served = { method: string; path: string; permission?: Permission };

/** Every method and path `app` serves, with the permission a `permit()` guard on it carries; `use()` middleware is not a route. */
export function servedRoutes(app: App): Served[] {
  const seen = new Map<string, Served>();
  for (const r of app.routes) {
    if (r.method === "ALL" && r.path.endsWith("*")) continue;
    const name = `${r.method} ${r.path}`;
    const entry = seen.get(name) ?? { method: r.method, path: r.path };
    const carried = (r.handler as { permission?: Permission }).permission;
    if (carried) entry.permission = carried;
    seen.set(name, entry);
  }
  return [...seen.values()];
}

export async function routeTable(app: App): Promise<RouteTable> {
  const spec = await json<Spec>(await app.request("/openapi.json"));
  const table: RouteTable = { scoped: [], public: [], consolePublic: [], session: [], undeclared: [] };
  for (const { method, path, permission } of servedRoutes(app)) {
    const name = `${method} ${path}`;
    const documented = spec.paths[path.replace(/:(\w+)/g, "{$1}")]?.[method.toLowerCase()];
    const declared = documented?.["x-required-permission"];
    if (declared)
      table.scoped.push({ method, path, needs: declared === "any" ? "any" : (declared.split(" or ") as Permission[]) });
    else if (PUBLIC.includes(name)) table.public.push({ method, path, needs: [] });
    else if (CONSOLE_PUBLIC.includes(name)) table.consolePublic.push({ method, path, needs: [] });
    else if ((path === "/console" || path.startsWith("/console/")) && !documented && permission)
      table.session.push({ method, path, needs: [permission] });
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

/** Whether a principal holding `held` may call `route`. */
export const grants = (held: ReadonlySet<Permission>, route: Route) =>
  route.needs === "any" || route.needs.some((p) => held.has(p));

/** A request as a client sends it; the body is JSON (`{}`) so a route that read it before the credentials would be caught. */
export async function call(app: App, route: Route, url: string, headers: Record<string, string> = {}) {
  const withBody = route.method !== "GET" && route.method !== "DELETE";
  const res = await app.request(`${ORIGIN}${url}`, {
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
export async function browse(
  app: App,
  route: Route,
  url: string,
  opts: { cookie?: string; origin?: string; fetchSite?: string } = {},
) {
  const headers: Record<string, string> = {};
  if (opts.cookie) headers.cookie = opts.cookie;
  if (route.method === "POST") {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers.origin = opts.origin ?? ORIGIN;
    if (opts.fetchSite) headers["sec-fetch-site"] = opts.fetchSite;
  }
  const res = await app.request(`${ORIGIN}${url}`, {
    method: route.method,
    headers,
    body: route.method === "POST" ? "back=/console" : undefined,
    redirect: "manual",
  });
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) await res.body?.cancel();
  return res;
}

export const label = (r: Route) => `${r.method} ${r.path}`;
/** One case per concrete URL, named by its method and URL. */
export const cases = (routes: Route[]) =>
  routes.flatMap((r) => urlsOf(r.path).map((url) => [`${r.method} ${url}`, r, url] as const));

/** Let in: neither refused nor sent to sign-in (a 500 is a failure too). */
export const isAllowed = (res: Response) =>
  ![401, 403, 500].includes(res.status) && !/sign-in/.test(res.headers.get("location") ?? "");
