import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StartedServer } from "../../src/server.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { addPerson, signIn, startEmptyServer } from "./console-fixture.js";

// Real Chromium against a real server: the dashboard counts contacts in languages Earshot does not
// analyse, and search shows them as not analysed rather than neutral.
const run = hasChromium() || !!process.env.CI;

describe.runIf(run)("contacts in languages Earshot does not analyse, in the console", () => {
  let dir: string;
  let server: StartedServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    let ingest: string;
    ({ dir, server, ingest } = await startEmptyServer("earshot-languages-"));
    const texts = [
      "Mon virement n'est toujours pas arrivé et personne ne me répond depuis lundi.",
      "Je voudrais fermer mon compte, le service client ne répond jamais.",
      "Meine Bestellung ist seit zwei Wochen verschwunden und keiner hilft mir.",
      "Thanks for sorting out my card so quickly yesterday.",
    ];
    // One more, two days ago: in the dashboard's window, not in today's count.
    const older = "Ich warte seit drei Tagen auf eine Antwort zu meiner Rechnung.";
    let n = 0;
    for (const [text, at] of [
      ...texts.map((t, i) => [t, new Date(Date.now() - (i + 1) * 1000)] as const),
      [older, new Date(Date.now() - 2 * 86_400_000)] as const,
    ]) {
      const res = await fetch(`${server.url}/v1/interactions`, {
        method: "POST",
        headers: { authorization: `Bearer ${ingest}`, "content-type": "application/json" },
        body: JSON.stringify({
          source: "social-listening",
          externalId: `lang-${++n}`,
          channel: "social",
          platform: "twitter",
          authorHandle: `@lang_${n}`,
          public: true,
          occurredAt: at.toISOString(),
          text,
        }),
      });
      expect(res.status).toBe(201);
    }
    await server.runtime.momentQueue.idle();
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${server.url}/console/sign-in`);
    await signIn(page, server.url, await addPerson(server, "agent", "ana", "Ana Agent"));
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("counts them per language on the dashboard", async () => {
    await page.goto(`${server.url}/console/dashboard`);
    const line = (await page.locator("#not-analysed").textContent())!.replace(/\s+/g, " ").trim();
    expect(line).toBe("4 contacts in languages we do not analyse: de 2, fr 2");
    const today = (await page.locator("#not-analysed-today").textContent())!.replace(/\s+/g, " ").trim();
    expect(today).toBe("3 contacts today in languages we do not analyse: fr 2, de 1");
  });

  it("marks them as not analysed in search results", async () => {
    await page.goto(`${server.url}/console?q=compte`);
    const chips = await page.locator("#interaction-results .chip.not-analysed").allTextContents();
    expect(chips.map((c) => c.trim())).toEqual(["not analysed (fr)"]);
  });

  it("adds no serious or critical accessibility violation (axe-core)", async () => {
    // A context that bypasses the CSP only so axe can be injected; it shares the signed-in session's cookie.
    const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
    const context = await browser.newContext({ bypassCSP: true, storageState: await page.context().storageState() });
    const audit = await context.newPage();
    for (const path of ["/console/dashboard", "/console?q=compte"]) {
      await audit.goto(`${server.url}${path}`);
      await audit.addScriptTag({ content: axeSource });
      const serious = await audit.evaluate(async () => {
        const r = await (
          window as unknown as {
            axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; impact: string }> }> };
          }
        ).axe.run({ resultTypes: ["violations"] });
        return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
      });
      expect({ path, serious }).toEqual({ path, serious: [] });
    }
    await context.close();
  }, 90_000);
});
