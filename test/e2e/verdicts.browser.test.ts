import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verdictPage } from "../../src/contracts/verdicts.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { signIn, startConsoleFixture, type ConsoleFixture } from "./console-fixture.js";

// An agent's verdicts in real Chromium against a real server over the sample data: by keyboard on the
// moments board, by click on a customer's timeline, each read back through the API.
const run = hasChromium() || !!process.env.CI;

describe.runIf(run)("verdicts in the console (Chromium)", () => {
  let fixture: ConsoleFixture;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    [fixture, browser] = await Promise.all([startConsoleFixture(), launchChromium()]);
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    page.on("console", (m) => m.type() === "error" && problems.push(`${m.text()} ${m.location().url}`));
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${fixture.url}/console/sign-in`);
    await signIn(page, fixture.url, fixture.supervisor);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  const verdicts = async (subjectId: string, history = false) => {
    const res = await fetch(`${fixture.url}/v1/verdicts?subjectId=${subjectId}&history=${history}`, {
      headers: { authorization: `Bearer ${fixture.superviseKey}` },
    });
    return verdictPage.parse(await res.json()).items;
  };

  it("judges a moment false alarm with a reason using only the keyboard, then changes it to right", async () => {
    await page.goto(`${fixture.url}/console/moments`);
    const row = page.locator("#moment-list > li").first();
    const momentId = (await row.getAttribute("id"))!.replace(/^moment-/, "");
    const reasonCodes = (
      await row.locator("select[name=reason] option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))
    ).filter(Boolean);
    expect(reasonCodes.length).toBeGreaterThan(0);
    const reason = reasonCodes[reasonCodes.length - 1];

    // Tab from the reason picker to the "False alarm" button and press it, as a keyboard user would.
    const select = row.getByLabel("Reason");
    await select.focus();
    await select.selectOption(reason);
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("False alarm");
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.locator(".notice[role=status]").textContent())
      .toContain("Verdict recorded: false alarm");
    const after = page.locator(`#moment-${momentId}`);
    expect(await after.locator(".verdict-mine").textContent()).toContain("Your verdict: False alarm");
    expect(await after.getByRole("button", { name: "False alarm" }).getAttribute("aria-pressed")).toBe("true");
    const [given] = await verdicts(momentId);
    expect(given).toMatchObject({
      verdict: "false_alarm",
      reason,
      by: { name: fixture.supervisor.name, via: "console" },
      subject: { kind: "moment", id: momentId },
    });

    // One click replaces it; the history keeps both.
    await after.getByRole("button", { name: "Right" }).click();
    await expect.poll(() => page.locator(".notice[role=status]").textContent()).toContain("Verdict recorded: right");
    expect((await verdicts(momentId)).map((v) => v.verdict)).toEqual(["confirmed"]);
    expect((await verdicts(momentId, true)).map((v) => v.verdict)).toEqual(["confirmed", "false_alarm"]);
  });

  it("reports a missed complaint on an unflagged interaction of a customer's timeline", async () => {
    await page.locator("#moment-list > li a").first().click();
    await page.waitForSelector("#timeline");
    const item = page.locator(".tl.interaction:not(.flagged)").first();
    const interactionId = (await item.getAttribute("id"))!.replace(/^item-/, "");
    expect(await item.getByRole("button", { name: "Right" }).count()).toBe(0);
    await item.getByRole("button", { name: "Missed" }).click();
    await expect
      .poll(() => page.locator(".notice[role=status]").first().textContent())
      .toContain("Verdict recorded: missed");
    expect(new URL(page.url()).hash).toBe(`#item-${interactionId}`);
    expect(await page.locator(`#item-${interactionId} .verdict-mine`).textContent()).toContain("Missed");
    expect((await verdicts(interactionId))[0]).toMatchObject({
      verdict: "missed",
      flag: { flagged: false },
      by: { via: "console" },
    });
    // A flagged interaction offers right and false alarm instead.
    const flagged = page.locator(".tl.interaction.flagged").first();
    expect(await flagged.getByRole("button", { name: "False alarm" }).count()).toBe(1);
    expect(await flagged.getByRole("button", { name: "Missed" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("draws the quality page from the verdicts just given, as pictures, without accessibility violations", async () => {
    await page.getByRole("link", { name: "Quality" }).click();
    await page.waitForSelector("body[data-charts-drawn=true]");
    const figures = page.locator("figure.chart");
    expect(await figures.count()).toBe(6);
    expect(await page.locator("figure.chart[data-drawn=true]").count()).toBe(6);
    // Two subjects judged so far: the moment (right) and the missed interaction.
    expect(await page.locator("#quality-totals").textContent()).toContain("2 judged");
    expect(await page.locator("#quality-totals").textContent()).toContain("1 missed complaints");
    expect(await page.locator("#chart-threshold canvas").getAttribute("aria-label")).toMatch(
      /moment precision 100 % of 1/,
    );
    expect(await page.locator("#quality-versions").textContent()).toContain("analysis");
    // Each canvas drew something: a blank one is all one colour.
    const inked = await page.locator("#chart-precision-week canvas").evaluate((c) => {
      const canvas = c as HTMLCanvasElement;
      const px = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
      return ink;
    });
    expect(inked).toBeGreaterThan(500);

    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1366, height: 900 } });
    const audit = await context.newPage();
    await audit.goto(`${fixture.url}/console/sign-in`);
    await signIn(audit, fixture.url, fixture.supervisor);
    for (const path of ["/console/quality", "/console/moments"]) {
      await audit.goto(`${fixture.url}${path}`);
      await audit.addScriptTag({ content: axeSource });
      const violations = await audit.evaluate(async () => {
        const r = await (
          window as unknown as {
            axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; impact: string }> }> };
          }
        ).axe.run({ resultTypes: ["violations"] });
        return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
      });
      expect(violations, path).toEqual([]);
    }
    await context.close();
    expect(problems).toEqual([]);
    // Two pages audited by axe in a second browser context: slow on a loaded machine.
  }, 90_000);
});
