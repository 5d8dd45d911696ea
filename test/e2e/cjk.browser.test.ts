import { rmSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedServer } from "../../src/server.js";
import { CLI_ACTOR } from "../../src/services/people/principal.js";
import { createUser } from "../../src/services/people/users.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { startEmptyServer } from "./console-fixture.js";

// Real Chromium against a real server: Chinese and Korean contacts on a customer's page are marked
// with their language, their drivers highlighted inside unspaced text, and long lines wrap in the card.
const run = hasChromium() || !!process.env.CI;

// Written for this test.
const CHINESE = "你们的服务态度太差了，等了两个小时都没人处理。".repeat(6);
const KOREAN = "배송이 너무 늦어요. 상담원도 불친절하고 정말 실망했습니다";

describe.runIf(run)("Chinese and Korean text in the console", () => {
  let dir: string;
  let server: StartedServer;
  let browser: Browser;
  let page: Page;
  let customerId: string;

  beforeAll(async () => {
    let ingest: string;
    ({ dir, server, ingest } = await startEmptyServer("earshot-cjk-"));
    const password = `${Math.random().toString(36).slice(2)} lantern ${Math.random().toString(36).slice(2)}`;
    await createUser(
      server.runtime.db,
      server.runtime.passwords,
      { username: "reader", displayName: "Reader", role: "agent", password },
      CLI_ACTOR,
      new Date(),
    );
    let n = 0;
    for (const text of [CHINESE, KOREAN]) {
      const res = await fetch(`${server.url}/v1/interactions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingest}`, "content-type": "application/json" },
        body: JSON.stringify({
          source: "social-listening",
          externalId: `cjk-${++n}`,
          channel: "social",
          platform: "twitter",
          authorHandle: "@cjk_customer",
          public: true,
          occurredAt: new Date(Date.now() - n * 1000).toISOString(),
          text,
        }),
      });
      expect(res.status).toBe(201);
    }
    await server.runtime.momentQueue.idle();
    const rows = await server.runtime.db.all<{ id: string }>(
      sql`SELECT DISTINCT customer_id AS id FROM interactions WHERE external_id = 'cjk-1'`,
    );
    customerId = rows[0].id;
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    await page.goto(`${server.url}/console/sign-in`);
    await page.getByLabel("Username").fill("reader");
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForSelector("#search-summary");
    await page.goto(`${server.url}/console/customers/${encodeURIComponent(customerId)}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("marks each text with its language and highlights its drivers inside unspaced words", async () => {
    const zh = page.locator('.body[lang="zh"]');
    const ko = page.locator('.body[lang="ko"]');
    await expect.poll(() => zh.count()).toBe(1);
    expect(await ko.count()).toBe(1);
    const zhMarks = await zh.locator("mark.drv-neg").allTextContents();
    expect(zhMarks).toContain("太差");
    const koMarks = await ko.locator("mark").allTextContents();
    expect(koMarks.some((m) => m.startsWith("실망"))).toBe(true);
  });

  it("gives them CJK faces, wraps a long unspaced line inside the card, and breaks Korean between words", async () => {
    for (const summary of await page.locator("li.interaction details > summary").all()) await summary.click();
    const style = await page.evaluate(() => {
      const zh = document.querySelector('.body[lang="zh"]') as HTMLElement;
      const ko = document.querySelector('.body[lang="ko"]') as HTMLElement;
      return {
        zhFont: getComputedStyle(zh).fontFamily,
        koFont: getComputedStyle(ko).fontFamily,
        koBreak: getComputedStyle(ko).wordBreak,
        overflow: zh.scrollWidth - zh.clientWidth,
        lines: Math.round(zh.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(zh).lineHeight)),
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    });
    expect(style.zhFont).toContain("Noto Sans CJK SC");
    expect(style.koFont).toContain("Noto Sans CJK KR");
    expect(style.koBreak).toBe("keep-all");
    expect(style.overflow, JSON.stringify(style)).toBeLessThanOrEqual(0);
    expect(style.page, JSON.stringify(style)).toBeLessThanOrEqual(0);
    expect(style.lines).toBeGreaterThan(2);
  });
});
