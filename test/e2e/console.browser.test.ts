import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasChromium, launchChromium } from "../support/browser.js";
import { angryPost, signIn, startConsoleFixture, type ConsoleFixture } from "./console-fixture.js";

// Real Chromium against a real server. CI installs Debian's chromium (.ci/run); a developer machine
// without it skips this file, CI never does.
const run = hasChromium() || !!process.env.CI;

describe.runIf(run)("agent console in Chromium", () => {
  let fixture: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [fixture, browser] = await Promise.all([startConsoleFixture(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    // Script errors and CSP violations show up on the console; a clean page has none.
    page.on("console", (m) => m.type() === "error" && problems.push(`${m.text()} ${m.location().url}`));
    page.on("pageerror", (e) => problems.push(e.message));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  it("signs an agent in with their password after refusing a wrong one, and shows who they are", async () => {
    await page.goto(`${fixture.url}/`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    await page.getByLabel("Username").fill(fixture.agent.username);
    await page.getByLabel("Password").fill("not the password at all");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("do not match");
    // The username typed is kept; the password never is.
    expect(await page.getByLabel("Username").inputValue()).toBe(fixture.agent.username);
    expect(await page.getByLabel("Password").inputValue()).toBe("");
    await signIn(page, fixture.url, fixture.agent);
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === "earshot_session")).toMatchObject({
      httpOnly: true,
      sameSite: "Strict",
      path: "/",
    });
    expect(await page.locator("header .user").textContent()).toBe("Ana Agent (agent)");
    // An agent has no quality page: no link to it, and a 403 when asked for it.
    expect(await page.locator('nav a[href="/console/quality"]').count()).toBe(0);
    const quality = await page.goto(`${fixture.url}/console/quality`);
    expect(quality?.status()).toBe(403);
    // The same session calls the API as the person.
    const me = await page.evaluate(async () => (await fetch("/v1/me")).json());
    expect(me).toMatchObject({ kind: "person", name: "Ana Agent", role: "agent" });
    await page.goto(`${fixture.url}/console`);
    // The refused sign-in answered 401 on purpose; from here on the console must log no errors.
    problems.length = 0;
  });

  it("searches, opens a customer and expands a chat to its scored turns", async () => {
    await page.getByLabel("Text, name, email, phone or handle").fill("maria.gomez0@mail.example");
    await page.getByLabel("From (UTC)").fill(new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 16));
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator("#customer-results a.title", { hasText: "Maria Gomez" }).click();
    await page.waitForSelector("#timeline");
    expect(await page.locator("h1").textContent()).toBe("Maria Gomez");
    expect(await page.locator("svg.sparkline").count()).toBe(1);
    const moment = page.locator(".tl.moment").first();
    expect(await moment.locator(".reasons li").count()).toBeGreaterThan(2);
    const chat = page.locator(".tl.interaction[data-channel=chat]").first();
    // Keyboard: focus the row's summary and open it with Enter.
    await chat.locator("summary").focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => chat.locator(".turn").count()).toBeGreaterThan(2);
    expect(await chat.locator("mark.drv-neg").count()).toBeGreaterThan(0);
    expect(await chat.locator(".trajectory").textContent()).toContain("Customer's trajectory");
  });

  it("shows a new flagged moment live, without a reload, and counts it", async () => {
    await page.waitForSelector("body[data-live=connected]");
    const before = Number(await page.locator("#live-count").textContent());
    const res = await fetch(`${fixture.url}/v1/interactions`, {
      method: "POST",
      headers: { authorization: `Bearer ${fixture.ingestKey}`, "content-type": "application/json" },
      body: JSON.stringify(angryPost(7)),
    });
    expect(res.status).toBe(201);
    await page.waitForSelector("#live-list li", { timeout: 10_000 });
    expect(await page.locator("#live").isVisible()).toBe(true);
    // Who, where, in their words and why, linked to the moment.
    const item = page.locator("#live-list li").first();
    const text = await item.textContent();
    expect(text).toContain("Live Customer 7");
    expect(text).toContain("social");
    expect(text).toContain("Charged twice AGAIN");
    expect(await item.locator("a").getAttribute("href")).toMatch(/^\/console\/moments\/mom_/);
    await expect
      .poll(() => page.locator("#live-count").textContent().then(Number), { timeout: 10_000 })
      .toBe(before + 1);
  });

  it("acknowledges the live moment from its customer's timeline", async () => {
    await page.locator("#live-list li a").first().click();
    await page.waitForSelector("#timeline");
    const moment = page.locator(".tl.moment").first();
    expect(await moment.getAttribute("data-status")).toBe("open");
    await moment.getByRole("button", { name: "Acknowledge" }).click();
    await page.waitForSelector(".notice[role=status]");
    expect(await page.locator(".notice[role=status]").first().textContent()).toContain("Moment acknowledged.");
    expect(await page.locator(".tl.moment").first().getAttribute("data-status")).toBe("acknowledged");
  });

  it("draws all five dashboard charts", async () => {
    await page.getByRole("link", { name: "Dashboard" }).click();
    await page.waitForSelector("body[data-charts-drawn=true]");
    for (const id of ["chart-sentiment", "chart-topics", "chart-needs", "chart-moments", "chart-paths"]) {
      expect(await page.locator(`#${id}`).getAttribute("data-drawn")).toBe("true");
      // Something was painted: count canvas pixels that are not transparent.
      const painted = await page.locator(`#${id} canvas`).evaluate((c: HTMLCanvasElement) => {
        const px = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) n++;
        return n;
      });
      expect(painted, id).toBeGreaterThan(2000);
    }
    await page.getByRole("checkbox", { name: "Social post" }).check();
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForSelector("body[data-charts-drawn=true]");
    expect(new URL(page.url()).searchParams.getAll("channel")).toEqual(["social"]);
  });

  it("has no serious or critical accessibility violations on any page (axe-core)", async () => {
    // A second context that signs in the same way; it bypasses the CSP only so axe can be injected.
    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    const audit = await context.newPage();
    const check = async (path: string, audit: Page) => {
      await audit.goto(`${fixture.url}${path}`);
      // Pages with charts are audited as drawn.
      if (await audit.locator("canvas").count()) await audit.waitForSelector("body[data-charts-drawn=true]");
      await audit.addScriptTag({ content: axeSource });
      const result = await audit.evaluate(async () => {
        const r = await (
          window as unknown as {
            axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> };
          }
        ).axe.run({ resultTypes: ["violations"] });
        return r.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id} (${v.nodes.length})`);
      });
      return { path, result };
    };
    expect(await check("/console/sign-in", audit)).toEqual({ path: "/console/sign-in", result: [] });
    await signIn(audit, fixture.url, fixture.agent);
    const month = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 16);
    await audit.goto(`${fixture.url}/console?q=maria.gomez0%40mail.example&from=${month}`);
    const customer = await audit.locator("#customer-results a.title").first().getAttribute("href");
    for (const path of [
      `/console?q=refund&from=${month}`,
      "/console/queue?view=all",
      "/console/moments",
      // The moments a dashboard window counts (its drill-down), with its pages.
      `/console/moments?from=${month}`,
      "/console/dashboard",
      // An agent is refused the agents page: the denied page is audited too.
      "/console/agents",
      customer!,
    ]) {
      expect(await check(path, audit)).toEqual({ path, result: [] });
    }
    // A supervisor sees the agents page itself, its charts drawn.
    const supervising = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    const supervisor = await supervising.newPage();
    await signIn(supervisor, fixture.url, fixture.supervisor);
    expect(await check("/console/agents", supervisor)).toEqual({ path: "/console/agents", result: [] });
    expect(await supervisor.locator("#agents-empty").count()).toBe(0);
    await supervising.close();
    // The audit can fail: an image without a text alternative is a critical violation.
    await audit.setContent('<!doctype html><html lang="en"><title>t</title><main><img src="data:,"></main></html>');
    await audit.addScriptTag({ content: axeSource });
    const bad = await audit.evaluate(async () =>
      (
        await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string }> }> } }).axe.run()
      ).violations.map((v) => v.id),
    );
    expect(bad).toContain("image-alt");
    await context.close();
    // axe walks every page of the console: far more than one page load, so more than the default time.
  }, 90_000);

  it("signs out, after which nothing is visible", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/console\/sign-in/);
    await page.goto(`${fixture.url}/console/dashboard`);
    expect(new URL(page.url()).pathname).toBe("/console/sign-in");
    expect(problems).toEqual([]);
  });
});
