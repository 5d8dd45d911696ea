import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatInput, socialInput } from "../support/factories.js";
import { failedWithdrawalThenChat } from "../support/journeys.js";
import { createHarness, type Harness, type TestPerson } from "../support/harness.js";
import { CONSOLE_ORIGIN, consolePage, consoleSignIn, type PageOptions } from "./console-client.js";

const NOW = new Date("2026-03-10T12:00:00Z");
// The console's pages over app.request(): headers and assets, search, the customer page and its
// moment actions, the dashboard (signing in and out: console-sign-in.test.ts).

let h: Harness;
let cookie: string;
/** The supervisor most pages are seen as. */
let me: TestPerson;

/** A page as the supervisor `me` sees it, unless another cookie (or null: none) is given. */
const page = (path: string, opts: PageOptions = {}) =>
  consolePage(h, path, { ...opts, cookie: opts.cookie === undefined ? cookie : opts.cookie });
const signIn = (username: string, password: string, next?: string) => consoleSignIn(h, username, password, next);

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
    expect(new URL(again.headers.get("location") ?? "", CONSOLE_ORIGIN).searchParams.get("notice")).toContain(
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
      expect(new URL(location, CONSOLE_ORIGIN).origin, back).toBe(CONSOLE_ORIGIN);
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
