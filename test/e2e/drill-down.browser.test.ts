import { rmSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedServer } from "../../src/server.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { addPerson, signIn, startEmptyServer } from "./console-fixture.js";

// Real Chromium against a real server: a click on a dashboard bar or point opens the search page on
// the interactions it counts, and the numbers agree; the chart's table offers the same links.
const run = hasChromium() || !!process.env.CI;
const DAY = 86_400_000;

interface DashboardJson {
  buckets: string[];
  needs: Array<{ id: string; volume: number }>;
  topics: Array<{ id: string; volume: number }>;
  sentimentByChannel: Array<{ channel: string; volume: number[] }>;
  momentsBySeverity: Array<{ severity: string; counts: number[] }>;
}

describe.runIf(run)("dashboard drill-down, in the console", () => {
  let dir: string;
  let server: StartedServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    let ingest: string;
    ({ dir, server, ingest } = await startEmptyServer("earshot-drill-"));
    const texts = [
      "I want a refund for the fee you charged twice on my card.",
      "Please refund my money, the order never arrived.",
      "Give me my refund now, this is the third time I ask.",
      "My transfer has not arrived after five days, where is it?",
      "Thanks, the new app is great.",
    ];
    let n = 0;
    // Three days: two chats two days ago, the rest yesterday, one email yesterday.
    for (const [i, text] of texts.entries()) {
      const at = new Date(Date.now() - (i < 2 ? 2 : 1) * DAY);
      const email = i === 4;
      const res = await fetch(`${server.url}/v1/interactions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingest}`, "content-type": "application/json" },
        body: JSON.stringify(
          email
            ? {
                source: "crm",
                externalId: `drill-${++n}`,
                channel: "email",
                occurredAt: at.toISOString(),
                customer: { email: `c${n}@example.com` },
                subject: "App",
                body: text,
              }
            : {
                source: "chat",
                externalId: `drill-${++n}`,
                channel: "chat",
                occurredAt: at.toISOString(),
                customer: { email: `c${n}@example.com` },
                turns: [{ speaker: "customer", text }],
              },
        ),
      });
      expect(res.status).toBe(201);
    }
    await server.runtime.momentQueue.idle();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${server.url}/console/sign-in`);
    await signIn(page, server.url, await addPerson(server, "supervisor", "sue", "Sue Supervisor"));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const dashboard = async () => {
    await page.goto(`${server.url}/console/dashboard`);
    await page.waitForSelector("body[data-charts-drawn=true]");
    return JSON.parse((await page.locator("#dashboard-data").textContent())!) as DashboardJson;
  };

  /** Clicks element `index` of dataset `dataset` of the chart in figure `id`, where Chart.js drew it. */
  async function clickChart(
    id: string,
    dataset: number,
    index: number,
    lands = /\/console\?/,
    shows = "#interaction-count",
  ) {
    const canvas = page.locator(`#${id} canvas`);
    const at = await canvas.evaluate(
      (el, [d, i]) => {
        const chart = (window as any).Chart.getChart(el);
        const { x, y } = chart.getDatasetMeta(d).data[i].getProps(["x", "y"], true);
        return { x, y };
      },
      [dataset, index],
    );
    // A horizontal bar's (x, y) is its end: click just inside it.
    await canvas.click({ position: { x: Math.max(1, at.x - 3), y: at.y } });
    await page.waitForURL(lands);
    await page.waitForSelector(shows);
  }

  const shownCount = async () => Number((await page.locator("#interaction-count").textContent())!.trim());
  const listed = async () => page.locator("#interaction-results > li").count();

  it("opens a need's interactions from its bar, as many as the bar counts", async () => {
    const data = await dashboard();
    const refund = data.needs.findIndex((need) => need.id === "refund");
    expect(refund, JSON.stringify(data.needs)).toBeGreaterThanOrEqual(0);
    expect(data.needs[refund].volume).toBe(3);
    await clickChart("chart-needs", 0, refund);
    expect(new URL(page.url()).searchParams.get("need")).toBe("refund");
    expect(await shownCount()).toBe(3);
    expect(await listed()).toBe(3);
    expect(await page.locator("#search-filters").textContent()).toContain("needing refund");
  });

  it("opens a day's chats from the sentiment point of that day", async () => {
    const data = await dashboard();
    const chat = data.sentimentByChannel.findIndex((s) => s.channel === "chat");
    const day = data.sentimentByChannel[chat].volume.indexOf(2);
    expect(day).toBeGreaterThanOrEqual(0);
    await clickChart("chart-sentiment", chat, day);
    const url = new URL(page.url());
    expect(url.searchParams.get("channel")).toBe("chat");
    expect(url.searchParams.get("from")?.slice(0, 10)).toBe(data.buckets[day]);
    expect(await shownCount()).toBe(2);
    expect(await listed()).toBe(2);
  });

  it("opens a day's moments of one severity from its bar, as many as the bar counts", async () => {
    const data = await dashboard();
    const severity = data.momentsBySeverity.findIndex((s) => s.counts.some(Boolean));
    expect(severity, JSON.stringify(data.momentsBySeverity)).toBeGreaterThanOrEqual(0);
    const { severity: name, counts } = data.momentsBySeverity[severity];
    const day = counts.findIndex(Boolean);
    await clickChart("chart-moments", severity, day, /\/console\/moments\?/, "#moment-count");
    expect(new URL(page.url()).searchParams.get("severity")).toBe(name);
    expect(Number((await page.locator("#moment-count").textContent())!.trim())).toBe(counts[day]);
    expect(await page.locator("#moment-list > li").count()).toBe(counts[day]);
  });

  it("offers the same links in each chart's table, by keyboard", async () => {
    const data = await dashboard();
    const topic = data.topics[0];
    await page.locator("#chart-topics summary").focus();
    await page.keyboard.press("Enter");
    const link = page.locator("#chart-topics table a").first();
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/topic=/);
    expect(await shownCount()).toBe(topic.volume);
  });

  it("links the search page's Export CSV to the same interactions", async () => {
    await page.goto(`${server.url}/console/dashboard`);
    await page.locator("#total-flagged").click();
    await page.waitForSelector("#interaction-count");
    const count = await shownCount();
    const href = (await page.locator("#export-csv").getAttribute("href"))!;
    expect(href).toMatch(/^\/v1\/interactions\/export\?.*flagged=true/);
    const csv = await page.evaluate(async (h) => (await fetch(h)).text(), href);
    expect(csv.trim().split("\r\n").length - 1).toBe(count);
  });
});
