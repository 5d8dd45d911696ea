import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, sessionPrincipal } from "../../src/services/people/sessions.js";
import { createHarness, type Harness, type TestPerson } from "../support/harness.js";
import { consolePage, consoleSignIn, type PageOptions } from "./console-client.js";

// Signing in to the console and out of it over app.request(): the session cookie, refusals, CSRF and
// safe redirects, expiry, and who may see which page.

let h: Harness;
let cookie: string;
/** The supervisor the pages are seen as. */
let me: TestPerson;
/** A customer page, for a visitor without a session to be sent back to. */
const customerPage = "/console/customers/crm-sign-in-1";

/** A page as the supervisor `me` sees it, unless another cookie (or null: none) is given. */
const page = (path: string, opts: PageOptions = {}) =>
  consolePage(h, path, { ...opts, cookie: opts.cookie === undefined ? cookie : opts.cookie });
const signIn = (username: string, password: string, next?: string) => consoleSignIn(h, username, password, next);

beforeAll(async () => {
  h = await createHarness();
  me = await h.person("supervisor", { name: "Sam Supervisor" });
  ({ cookie } = me);
});
afterAll(() => h.close());

describe("console sign-in", () => {
  it("sends visitors without a session to sign-in, remembering where they were going", async () => {
    expect((await h.app.request("/", { redirect: "manual" })).headers.get("location")).toBe("/console");
    const res = await page(`${customerPage}?flagged=1`, { cookie: null });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/console/sign-in?next=${encodeURIComponent(`${customerPage}?flagged=1`)}`,
    );
    const form = await page("/console/sign-in", { cookie: null });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('autocomplete="current-password"');
    // Without OIDC_* settings there is no provider to offer.
    expect(html).not.toContain("/console/oidc/start");
  });

  it("keeps the session in an http-only, same-site cookie with an expiry", async () => {
    const { res, set } = await signIn(me.username, me.password);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/console");
    expect(set).toMatch(/^earshot_session=[\w-]{40,};/);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/;/);
    expect(set).toMatch(/Max-Age=43200/);
    expect(set).toMatch(/Expires=/);
    expect(set).not.toContain(me.password);
  });

  it("refuses a wrong password and an unknown username alike, keeping the username typed", async () => {
    const wrong = await signIn(me.username, `${me.password}x`);
    const unknown = await signIn("nobody-here", me.password);
    for (const r of [wrong, unknown]) {
      expect(r.res.status).toBe(401);
      expect(r.set).toBe("");
      expect(await r.res.text()).toContain("That username and password do not match.");
    }
    const html = await (await signIn("nobody-here", "x")).res.text();
    expect(html).toContain('value="nobody-here"');
    expect(html).not.toContain('value="x"');
    const empty = await page("/console/sign-in", { form: { username: "", password: "" }, cookie: null });
    expect(empty.status).toBe(400);
  });

  it("refuses a disabled person, and ends their open sessions", async () => {
    const gone = await h.person("agent");
    expect((await page("/console", { cookie: gone.cookie })).status).toBe(200);
    await h.request("PATCH", `/v1/users/${gone.id}`, { key: h.keys.admin, body: { disabled: true } });
    expect((await page("/console", { cookie: gone.cookie })).status).toBe(303);
    const again = await signIn(gone.username, gone.password);
    expect(again.res.status).toBe(403);
    expect(await again.res.text()).toContain("disabled");
  });

  it("rejects form posts from other origins (CSRF) and never redirects off the console", async () => {
    const form = { username: me.username, password: me.password };
    expect((await page("/console/sign-in", { form, origin: "https://evil.example", cookie: null })).status).toBe(403);
    const res = await signIn(me.username, me.password, "//evil.example/x");
    expect(res.res.headers.get("location")).toBe("/console");
    const res2 = await signIn(me.username, me.password, "https://evil.example/");
    expect(res2.res.headers.get("location")).toBe("/console");
  });

  it("ends the session on sign-out and at expiry", async () => {
    const mine = await signIn(me.username, me.password);
    expect((await page("/console", { cookie: mine.cookie })).status).toBe(200);
    const out = await page("/console/sign-out", { form: {}, cookie: mine.cookie });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/earshot_session=;.*Max-Age=0/);
    expect((await page("/console", { cookie: mine.cookie })).status).toBe(303);

    const t0 = new Date();
    const opened = await openSession(h.runtime.db, me.id, "password", 60_000, t0);
    expect(await sessionPrincipal(h.runtime.db, opened.token, new Date(t0.getTime() + 59_000))).not.toBeNull();
    expect(await sessionPrincipal(h.runtime.db, opened.token, new Date(t0.getTime() + 60_000))).toBeNull();
  });

  it("shows who is signed in with their role, and the quality page only to those who may see it", async () => {
    const html = await (await page("/console")).text();
    expect(html).toContain("Sam Supervisor");
    expect(html).toContain("(supervisor)");
    expect(html).toContain('href="/console/quality"');
    const agent = await h.person("agent");
    const agentHtml = await (await page("/console", { cookie: agent.cookie })).text();
    expect(agentHtml).toContain("(agent)");
    expect(agentHtml).not.toContain('href="/console/quality"');
    const refused = await page("/console/quality", { cookie: agent.cookie });
    expect(refused.status).toBe(403);
    const denied = await refused.text();
    // A console page: the layout (nav, who is signed in, sign-out), the permission, the roles granting it.
    expect(denied).toContain('<form method="post" action="/console/sign-out"');
    expect(denied).toMatch(/needs the <strong>review<\/strong> permission/);
    expect(denied).toMatch(/signed in as <strong>[^<]+<\/strong>, an? agent/);
    expect(denied).toContain("The supervisor and admin roles grant it");
    expect(denied).toContain('href="/console"');
    // Signed out, the same page still sends the visitor to sign in first.
    const signedOut = await page("/console/quality", { cookie: null });
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/console/sign-in?next=%2Fconsole%2Fquality");
  });
});
