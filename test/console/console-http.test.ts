import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSession, sessionPrincipal } from "../../src/services/people/sessions.js";
import { chatInput, socialInput } from "../support/factories.js";
import { failedWithdrawalThenChat } from "../support/journeys.js";
import { createHarness, type Harness, type TestPerson } from "../support/harness.js";

const NOW = new Date("2026-03-10T12:00:00Z");
const ORIGIN = "http://localhost";
let h: Harness;
let cookie: string;
/** The supervisor most pages are seen as. */
let me: TestPerson;

/** A browser-like request: form posts carry the console's Origin, the session cookie rides along. */
function page(
  path: string,
  opts: { method?: string; form?: Record<string, string>; cookie?: string | null; origin?: string | null } = {},
) {
  const headers: Record<string, string> = {};
  const jar = opts.cookie === undefined ? cookie : opts.cookie;
  if (jar) headers.cookie = jar;
  let body: string | undefined;
  if (opts.form) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(opts.form).toString();
  }
  if (opts.origin !== null) headers.origin = opts.origin ?? ORIGIN;
  return h.app.request(`${ORIGIN}${path}`, {
    method: opts.method ?? (opts.form ? "POST" : "GET"),
    headers,
    body,
    redirect: "manual",
  });
}

async function signIn(username: string, password: string, next = "/console") {
  const res = await page("/console/sign-in", { form: { username, password, next }, cookie: null });
  const set = res.headers.get("set-cookie") ?? "";
  return { res, set, cookie: set.split(";")[0] };
}

let customerId: string;
beforeAll(async () => {
  h = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" }, { clock: () => NOW });
  const customer = { customerId: "crm-console-1", email: "ada.console@example.com", name: "Ada Console" };
  await failedWithdrawalThenChat(h, customer, {
    failedAt: "2026-03-10T11:20:00Z",
    chatAt: "2026-03-10T11:25:00Z",
    session: { waitSeconds: 50 },
    turns: [
      { speaker: "customer", text: "My withdrawal failed and nobody answers. This is ridiculous!" },
      { speaker: "agent", text: "I am sorry, let me fix that now." },
      { speaker: "customer", text: "Thanks, that was quick and helpful." },
    ],
  });
  await h.request("POST", "/v1/interactions", {
    body: socialInput({
      customer,
      authorHandle: "@ada_c",
      occurredAt: "2026-03-10T11:40:00Z",
      text: "Worst bank ever, my money is stuck. Closing my account.",
    }),
  });
  await h.request("POST", "/v1/interactions", {
    body: chatInput({
      occurredAt: "2026-03-01T09:00:00Z",
      turns: [{ speaker: "customer", text: "Lovely service, thank you!" }],
    }),
  });
  await h.runtime.momentQueue.idle();
  customerId = (await (await h.request("GET", "/v1/customers?q=ada.console@example.com")).json()).items[0].id;
  me = await h.person("supervisor", { name: "Sam Supervisor" });
  ({ cookie } = me);
});
afterAll(() => h.close());

describe("console sign-in", () => {
  it("sends visitors without a session to sign-in, remembering where they were going", async () => {
    expect((await h.app.request("/", { redirect: "manual" })).headers.get("location")).toBe("/console");
    const res = await page(`/console/customers/${customerId}?flagged=1`, { cookie: null });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(
      `/console/sign-in?next=${encodeURIComponent(`/console/customers/${customerId}?flagged=1`)}`,
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

describe("console pages", () => {
  it("serves pages with a strict content security policy and local assets only", async () => {
    const res = await page("/console");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const html = await (await page("/console/dashboard")).text();
    for (const src of html.match(/(?:src|href)="[^"]+"/g) ?? []) expect(src).not.toMatch(/https?:\/\//);
    const chart = await page("/console/assets/chart.umd.min.js", { cookie: null });
    expect(chart.status).toBe(200);
    expect(chart.headers.get("content-type")).toContain("javascript");
    expect((await page("/console/assets/..%2Fpackage.json", { cookie: null })).status).toBe(404);
  });

  it("answers 404 for asset names that are keys every object inherits", async () => {
    for (const name of ["constructor", "valueOf", "toString", "__proto__", "hasOwnProperty"]) {
      const res = await page(`/console/assets/${name}`, { cookie: null });
      expect(res.status, name).toBe(404);
      expect(res.headers.get("content-type"), name).toContain("application/problem+json");
    }
  });

  it("searches the default last hour, flagged first, and finds customers by email, phone or handle", async () => {
    const lastHour = await (await page("/console")).text();
    expect(lastHour).toContain("Ada Console");
    const flaggedAt = lastHour.indexOf('class="row flagged"');
    expect(flaggedAt).toBeGreaterThan(-1);
    expect(lastHour.indexOf('class="row"')).toSatisfy((i: number) => i === -1 || i > flaggedAt);
    // The happy chat from nine days ago is outside the default window.
    expect(lastHour).not.toContain("Lovely service");
    const wide = await (await page(`/console?from=2026-02-28T00:00&q=${encodeURIComponent("@ada_c")}`)).text();
    expect(wide).toContain(`/console/customers/${customerId}`);
    const byText = await (await page("/console?from=2026-02-28T00:00&q=lovely")).text();
    expect(byText).toContain("Lovely service");
  });

  it("shows the customer's header, a sentiment-coloured timeline with the moment's reasons, and turns with their drivers", async () => {
    const res = await page(`/console/customers/${customerId}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("ada.console@example.com");
    expect(html).toMatch(/<svg class="sparkline"[^>]*aria-label="Sentiment over the last 90 days: 2 interactions/);
    expect(html).toMatch(/class="tl moment severity-(high|critical|medium) status-open"/);
    // Reasons name what they rest on in words, never "(see, see)".
    expect(html).toMatch(/>the failed withdrawal at \d\d:\d\d<\/a>/);
    expect(html).not.toContain(">see</a>");
    expect(html).toContain("failed transaction or error shortly before contacting");
    expect(html).toMatch(/class="tl interaction tone-negative flagged"/);
    expect(html).toMatch(/class="tl event failed"/);
    expect(html).toContain("Customer&#39;s trajectory");
    expect(html).toMatch(/<mark class="drv-neg"[^>]*>ridiculous<\/mark>/);
    expect(html).toMatch(/<mark class="drv-pos"[^>]*>helpful<\/mark>/);

    const chatsOnly = await (await page(`/console/customers/${customerId}?channel=social`)).text();
    expect(chatsOnly).toContain('data-channel="social"');
    expect(chatsOnly).not.toContain('data-channel="chat"');
    expect(chatsOnly).not.toContain('data-kind="event"');
    expect(await (await page(`/console/customers/${customerId}?flagged=1`)).text()).not.toContain('data-kind="event"');
    expect((await page("/console/customers/cus_nobody")).status).toBe(404);
  });

  it("acknowledges and resolves a moment from the page, recording who did it", async () => {
    const [m] = (await (await h.request("GET", `/v1/moments?customerId=${customerId}`)).json()).items;
    const back = `/console/customers/${customerId}`;
    expect(
      (await page(`/console/moments/${m.id}/ack`, { form: { back }, origin: "https://evil.example" })).status,
    ).toBe(403);
    const ack = await page(`/console/moments/${m.id}/ack`, { form: { back: `${back}#item-${m.id}` } });
    expect(ack.status).toBe(303);
    expect(ack.headers.get("location")).toBe(`${back}?notice=Moment+acknowledged.#item-${m.id}`);
    const acknowledged = (await (await h.request("GET", `/v1/moments/${m.id}`)).json()).acknowledged;
    expect(acknowledged).toMatchObject({ by: `user:${me.id}`, name: "Sam Supervisor" });
    const live = await (await page("/console/moments")).text();
    expect(live).toContain(`id="moment-${m.id}"`);
    await page(`/console/moments/${m.id}/resolve`, { form: { back: "/console/moments" } });
    const again = await page(`/console/moments/${m.id}/resolve`, { form: { back: "/console/moments" } });
    expect(new URL(again.headers.get("location") ?? "", ORIGIN).searchParams.get("notice")).toContain(
      "already resolved",
    );
    expect(await (await page("/console/moments")).text()).not.toContain(`id="moment-${m.id}"`);
  });

  it("never redirects off the console after ack or resolve, however `back` is spelled", async () => {
    const [m] = (await (await h.request("GET", `/v1/moments?customerId=${customerId}`)).json()).items;
    for (const back of [
      "/console/..//evil.com",
      "//evil.com",
      "/\\evil.com",
      "https://evil.com",
      "/console/%2e%2e//evil.com",
    ]) {
      const res = await page(`/console/moments/${m.id}/ack`, { form: { back } });
      expect(res.status, back).toBe(303);
      const location = res.headers.get("location") ?? "";
      expect(location, back).toMatch(/^\/console\?notice=/);
      expect(new URL(location, ORIGIN).origin, back).toBe(ORIGIN);
    }
    const good = await page(`/console/moments/${m.id}/ack`, { form: { back: "/console/moments#top" } });
    expect(good.headers.get("location")).toMatch(/^\/console\/moments\?notice=[^#]+#top$/);
    const signedIn = await signIn(me.username, me.password, "/console/..//evil.com");
    expect(signedIn.res.headers.get("location")).toBe("/console");
  });

  it("draws the dashboard from aggregates of the chosen window and channels", async () => {
    const html = await (await page("/console/dashboard?from=2026-03-10T00:00&to=2026-03-11T00:00")).text();
    const data = JSON.parse(/<script type="application\/json" id="dashboard-data">([^<]*)<\/script>/.exec(html)![1]);
    expect(data.bucket).toBe("hour");
    expect(data.buckets).toHaveLength(24);
    expect(data.totals.interactions).toBe(2);
    expect(data.sentimentByChannel.map((s: { channel: string }) => s.channel)).toEqual(["chat", "social"]);
    expect(data.sentimentByChannel[0].volume[11]).toBe(1);
    expect(
      data.momentsBySeverity.flatMap((s: { counts: number[] }) => s.counts).reduce((a: number, b: number) => a + b, 0),
    ).toBe(1);
    expect(data.pathsToMoments[0].steps).toEqual(["transaction failed", "chat", "social"]);
    const socialOnly = JSON.parse(
      /id="dashboard-data">([^<]*)</.exec(
        await (await page("/console/dashboard?from=2026-03-10T00:00&to=2026-03-11T00:00&channel=social")).text(),
      )![1],
    );
    expect(socialOnly.totals.interactions).toBe(1);
    expect(socialOnly.sentimentByChannel.map((s: { channel: string }) => s.channel)).toEqual(["social"]);
  });
});
