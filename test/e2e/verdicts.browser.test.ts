import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verdictPage } from "../../src/contracts/verdicts.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { startConsoleFixture, type ConsoleFixture } from "./console-fixture.js";

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
    await page.getByLabel("API key").fill(fixture.readKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector("#search-summary");
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  const verdicts = async (subjectId: string, history = false) => {
    const res = await fetch(`${fixture.url}/v1/verdicts?subjectId=${subjectId}&history=${history}`, { headers: { authorization: `Bearer ${fixture.readKey}` } });
    return verdictPage.parse(await res.json()).items;
  };

  it("judges a moment false alarm with a reason using only the keyboard, then changes it to right", async () => {
    await page.goto(`${fixture.url}/console/moments`);
    const row = page.locator("#moment-list > li").first();
    const momentId = (await row.getAttribute("id"))!.replace(/^moment-/, "");
    const reasonCodes = (await row.locator("select[name=reason] option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).filter(Boolean);
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
    await expect.poll(() => page.locator(".notice[role=status]").textContent()).toContain("Verdict recorded: false alarm");
    const after = page.locator(`#moment-${momentId}`);
    expect(await after.locator(".verdict-mine").textContent()).toContain("Your verdict: False alarm");
    expect(await after.getByRole("button", { name: "False alarm" }).getAttribute("aria-pressed")).toBe("true");
    const [given] = await verdicts(momentId);
    expect(given).toMatchObject({ verdict: "false_alarm", reason, by: { name: "agent", via: "console" }, subject: { kind: "moment", id: momentId } });

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
    await expect.poll(() => page.locator(".notice[role=status]").first().textContent()).toContain("Verdict recorded: missed");
    expect(new URL(page.url()).hash).toBe(`#item-${interactionId}`);
    expect(await page.locator(`#item-${interactionId} .verdict-mine`).textContent()).toContain("Missed");
    expect((await verdicts(interactionId))[0]).toMatchObject({ verdict: "missed", flag: { flagged: false }, by: { via: "console" } });
    // A flagged interaction offers right and false alarm instead.
    const flagged = page.locator(".tl.interaction.flagged").first();
    expect(await flagged.getByRole("button", { name: "False alarm" }).count()).toBe(1);
    expect(await flagged.getByRole("button", { name: "Missed" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
