import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import Provider from "oidc-provider";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../support/browser.js";
import { createHarness, type Harness } from "../support/harness.js";

// The OpenID sign-in in real Chromium: Earshot on 127.0.0.1 and the provider on `localhost`, two
// different sites, so the browser applies its SameSite and CSP rules to the round trip as it would
// between a company's identity provider and its Earshot: the button leaves for the provider, the
// callback's cookie must survive a cross-site arrival, and the person lands signed in.
const run = hasChromium() || !!process.env.CI;

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, host?: string) {
  const server = createServer(handler);
  server.listen(0, host);
  await once(server, "listening");
  return server;
}
const port = (s: Server) => (s.address() as AddressInfo).port;

describe.runIf(run)("OpenID sign-in in Chromium", () => {
  let earshot: Server;
  let idp: Server;
  let h: Harness;
  let browser: Browser;
  let earshotUrl: string;
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();
  let provide: (req: IncomingMessage, res: ServerResponse) => void = (_q, r) => r.end();
  const problems: string[] = [];

  beforeAll(async () => {
    earshot = await listen((req, res) => handle(req, res), "127.0.0.1");
    earshotUrl = `http://127.0.0.1:${port(earshot)}`;
    // Both stacks, so `localhost` answers whichever address the browser and Node resolve it to.
    idp = await listen((req, res) => provide(req, res));
    const issuer = `http://localhost:${port(idp)}`;
    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: "earshot-browser",
          client_secret: "the browser test's client secret 41b9",
          redirect_uris: [`${earshotUrl}/console/oidc/callback`],
          grant_types: ["authorization_code"],
          response_types: ["code"],
        },
      ],
      pkce: { required: () => true },
      claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
      cookies: { keys: ["oidc browser test cookie key"] },
      findAccount: async (_ctx: unknown, sub: string) => ({
        accountId: sub,
        claims: async () => ({ sub, name: "Lena Lead", preferred_username: sub, groups: ["support-leads"] }),
      }),
    });
    provide = provider.callback();
    h = await createHarness({
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: "earshot-browser",
      OIDC_CLIENT_SECRET: "the browser test's client secret 41b9",
      OIDC_REDIRECT_URL: `${earshotUrl}/console/oidc/callback`,
      OIDC_SCOPES: "openid profile groups",
      OIDC_ROLE_MAP: "support-leads=supervisor",
    });
    handle = getRequestListener(h.app.fetch);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    earshot?.close();
    idp?.close();
    await h?.close();
  });

  it("signs a person in through the provider's pages and lands them, signed in, where they were going", async () => {
    const page = await browser.newPage();
    // Only Earshot's pages must be clean: the provider's development pages load fonts from the internet.
    page.on(
      "console",
      (m) =>
        m.type() === "error" &&
        m.location().url.startsWith(earshotUrl) &&
        problems.push(`${m.text()} ${m.location().url}`),
    );
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${earshotUrl}/console/moments`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await page.getByRole("link", { name: "Sign in with your organisation's account" }).click();
    await page.waitForURL(/localhost:\d+\/interaction\//);
    await page.locator('input[name="login"]').fill("lena");
    await page.locator('input[name="password"]').fill("the provider's development login takes any");
    await page.locator('button[type="submit"]').click();
    // The provider asks for consent once.
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${earshotUrl}/console/moments`);
    expect(await page.locator("header .user").textContent()).toBe("Lena Lead (supervisor)");
    expect(await page.locator('nav a[href="/console/quality"]').count()).toBe(1);
    const cookies = await page.context().cookies(earshotUrl);
    expect(cookies.find((c) => c.name === "earshot_session")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
    expect(cookies.find((c) => c.name === "earshot_oidc")).toBeUndefined();
    expect(problems).toEqual([]);
  }, 60_000);
});
