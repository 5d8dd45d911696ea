import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { roleFromClaim } from "../../src/services/people/oidc.js";
import { createHarness, type Harness } from "../support/harness.js";

// The OpenID Connect sign-in end to end: a real OpenID Provider (oidc-provider, its development login
// and consent pages) and Earshot, each on its own port of 127.0.0.1, and a browser played by fetch
// with a cookie jar per origin, following every redirect and submitting the provider's forms.

const CLIENT_ID = "earshot-console";
const CLIENT_SECRET = "a client secret only this test knows 7f3c";

/** Each login's group memberships, as the provider's accounts hold them; tests change them. */
const groups = new Map<string, string[]>([
  ["lead", ["support-leads"]],
  ["newcomer", []],
  ["boss", ["earshot-admins", "support"]],
]);

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server;
}
const urlOf = (s: Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`;

let earshot: Server;
let idp: Server;
let h: Harness;
let earshotUrl: string;
let issuer: string;
let handle: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();

beforeAll(async () => {
  earshot = await listen((req, res) => handle(req, res));
  earshotUrl = urlOf(earshot);
  idp = await listen((req, res) => providerHandler(req, res));
  issuer = urlOf(idp);
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [`${earshotUrl}/console/oidc/callback`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    // Every client must use PKCE: a sign-in without it fails here as it would at a strict provider.
    pkce: { required: () => true },
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
    cookies: { keys: ["oidc test cookie key"] },
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({
        sub,
        name: `${sub[0].toUpperCase()}${sub.slice(1)} From Provider`,
        preferred_username: sub,
        groups: groups.get(sub) ?? [],
      }),
    }),
  });
  const callback = provider.callback();
  providerHandler = (req, res) => callback(req, res);
  h = await createHarness({
    OIDC_ISSUER_URL: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URL: `${earshotUrl}/console/oidc/callback`,
    OIDC_SCOPES: "openid profile groups",
    OIDC_ROLE_MAP: "support=agent,support-leads=supervisor,earshot-admins=admin",
  });
  handle = getRequestListener(h.app.fetch);
});
let providerHandler: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();

afterAll(async () => {
  earshot?.close();
  idp?.close();
  await h?.close();
});

/** A browser: cookies kept per origin (paths ignored: every cookie set here may go to every path). */
class Browser {
  jars = new Map<string, Map<string, string>>();

  cookie(origin: string, name: string) {
    return this.jars.get(origin)?.get(name);
  }

  async fetch(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers.origin = origin;
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      const gone = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === "";
      if (gone) jar.delete(name.trim());
      else jar.set(name.trim(), value);
    }
    return res;
  }

  /**
   * Follows redirects, and submits the provider's login form (as `login`) and its consent form, until a
   * page of Earshot's own answers; at most 12 steps.
   */
  async signIn(login: string, next = "/console/moments") {
    let res = await this.fetch(`${earshotUrl}/console/oidc/start?next=${encodeURIComponent(next)}`);
    let url = `${earshotUrl}/console/oidc/start`;
    for (let step = 0; step < 12; step++) {
      const location = res.headers.get("location");
      if (location) {
        url = new URL(location, url).href;
        res = await this.fetch(url);
        continue;
      }
      if (new URL(url).origin === earshotUrl) return { res, url, html: await res.text() };
      const html = await res.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`the provider answered ${res.status} with no form: ${html.slice(0, 300)}`);
      const form: Record<string, string> = {};
      for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g))
        form[m[1]] = m[2];
      if (/name="login"/.test(html)) Object.assign(form, { login, password: "any password the dev login takes" });
      url = new URL(action, url).href;
      res = await this.fetch(url, { form });
    }
    throw new Error("the sign-in did not come back to Earshot");
  }
}

const me = (b: Browser) =>
  b.fetch(`${earshotUrl}/v1/me`).then(async (r) => ({ status: r.status, body: await r.json() }));

async function auditOf(action: string) {
  const res = await h.request("GET", `/v1/audit?action=${action}&limit=200`, { key: h.keys.admin });
  return (await res.json()).items as Array<{
    by: { id: string };
    subjectId: string | null;
    details: Record<string, unknown>;
  }>;
}

describe("sign-in through an OpenID Provider", () => {
  it("offers the provider on the sign-in page", async () => {
    const html = await (await fetch(`${earshotUrl}/console/sign-in?next=/console/moments`)).text();
    expect(html).toContain('action="/console/oidc/start"');
    expect(html).toContain('name="next" value="/console/moments"');
  });

  it("sends the browser to the provider with PKCE (S256), state and nonce, and keeps them in an http-only cookie", async () => {
    const b = new Browser();
    const res = await b.fetch(`${earshotUrl}/console/oidc/start?next=/console`);
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get("location")!);
    expect(to.origin).toBe(issuer);
    expect(to.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(to.searchParams.get("response_type")).toBe("code");
    expect(to.searchParams.get("code_challenge_method")).toBe("S256");
    expect(to.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(to.searchParams.get("state")).toMatch(/^[\w-]{20,}$/);
    expect(to.searchParams.get("nonce")).toMatch(/^[\w-]{20,}$/);
    expect(to.searchParams.get("redirect_uri")).toBe(`${earshotUrl}/console/oidc/callback`);
    const set = res.headers.getSetCookie().find((c) => c.startsWith("earshot_oidc="))!;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).toMatch(/Path=\/console\/oidc/);
    // The verifier itself never leaves for the provider.
    const pending = JSON.parse(Buffer.from(b.cookie(earshotUrl, "earshot_oidc")!, "base64url").toString());
    expect(to.href).not.toContain(pending.verifier);
  });

  it("signs a new person in with the role their groups map to, creates them, and audits both", async () => {
    const b = new Browser();
    const { res, html } = await b.signIn("lead");
    expect(res.status).toBe(200);
    expect(html).toContain('href="/console/moments"');
    expect(b.cookie(earshotUrl, "earshot_session")).toMatch(/^[\w-]{40,}$/);
    expect(b.cookie(earshotUrl, "earshot_oidc")).toBeUndefined();
    const who = await me(b);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ kind: "person", name: "Lead From Provider", role: "supervisor" });
    expect(who.body.permissions).toContain("review");
    const page = await b.fetch(`${earshotUrl}/console/quality`);
    expect(page.status).toBe(200);

    const users = (await (await h.request("GET", "/v1/users", { key: h.keys.admin })).json()).items;
    const lead = users.find((u: { username: string }) => u.username === "lead");
    expect(lead).toMatchObject({ role: "supervisor", signIn: ["oidc"], displayName: "Lead From Provider" });
    expect((await auditOf("user_created")).find((e) => e.subjectId === lead.id)?.by.id).toBe(`oidc:${issuer}`);
    expect((await auditOf("sign_in")).find((e) => e.subjectId === lead.id)?.details).toEqual({ method: "oidc" });
  });

  it("follows the provider's groups at each sign-in, auditing the role change", async () => {
    groups.set("boss", ["support"]);
    const first = new Browser();
    await first.signIn("boss");
    expect((await me(first)).body.role).toBe("agent");
    groups.set("boss", ["earshot-admins", "support"]);
    const second = new Browser();
    await second.signIn("boss");
    expect((await me(second)).body.role).toBe("admin");
    // The first browser's session acts with the role as it is now.
    expect((await me(first)).body.role).toBe("admin");
    const changed = (await auditOf("role_changed")).find((e) => e.details.to === "admin");
    expect(changed).toMatchObject({ by: { id: `oidc:${issuer}` }, details: { from: "agent", to: "admin" } });
  });

  it("refuses someone the mapping gives no role, and audits it", async () => {
    const b = new Browser();
    const { res, html } = await b.signIn("newcomer");
    expect(res.status).toBe(403);
    expect(html).toContain("no Earshot role");
    expect(b.cookie(earshotUrl, "earshot_session")).toBeUndefined();
    expect((await auditOf("sign_in_failed")).some((e) => e.details.reason === "no_role")).toBe(true);
  });

  it("refuses a callback whose state is not the one sent, or that comes without the login cookie", async () => {
    const b = new Browser();
    await b.fetch(`${earshotUrl}/console/oidc/start`);
    const forged = await b.fetch(`${earshotUrl}/console/oidc/callback?code=made-up&state=not-the-state&iss=${issuer}`);
    expect(forged.status).toBe(401);
    expect(b.cookie(earshotUrl, "earshot_session")).toBeUndefined();
    const stranger = new Browser();
    const noCookie = await stranger.fetch(`${earshotUrl}/console/oidc/callback?code=x&state=y`);
    expect(noCookie.status).toBe(400);
    const reasons = (await auditOf("sign_in_failed")).map((e) => e.details.reason);
    expect(reasons).toEqual(expect.arrayContaining(["unverified_response", "no_pending_login"]));
  });

  it("refuses a code replayed into another browser's login", async () => {
    // A code captured from one browser's redirect, presented by a browser whose own login it is not:
    // the state (and the PKCE verifier) do not match, so it is refused.
    const victim = new Browser();
    await victim.fetch(`${earshotUrl}/console/oidc/start`);
    const attacker = new Browser();
    const start = await attacker.fetch(`${earshotUrl}/console/oidc/start`);
    const state = new URL(start.headers.get("location")!).searchParams.get("state")!;
    victim.jars.get(earshotUrl)!.delete("earshot_session");
    const res = await victim.fetch(`${earshotUrl}/console/oidc/callback?code=whatever&state=${state}&iss=${issuer}`);
    expect(res.status).toBe(401);
  });
});

describe("the claim mapping", () => {
  const map = new Map([
    ["a", "agent" as const],
    ["s", "supervisor" as const],
    ["x", "admin" as const],
  ]);
  it.each([
    [["a", "s"], "supervisor"],
    ["x", "admin"],
    [["nope"], null],
    [undefined, null],
    [[1, { a: 1 }], null],
  ])("%j → %s", (value, role) => expect(roleFromClaim(value, map)).toBe(role));
});
