import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config.js";
import { startServer, type StartedServer } from "../../src/server.js";
import { hasChromium, launchChromium } from "../support/browser.js";

// The API docs page under its content security policy, in real Chromium: Swagger UI must still
// render every operation, and the browser must report no violation.
const run = hasChromium() || !!process.env.CI;

describe.runIf(run)("/docs in Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "earshot-docs-"));
  let server: StartedServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer(
        loadConfig({
          DATABASE_URL: `file:${join(dir, "docs.db")}`,
          HOST: "127.0.0.1",
          PORT: "0",
          LOG_LEVEL: "silent",
          ANALYSIS_WORKERS: "0",
          DASHBOARD_WORKER: "false",
          DATABASE_CHECKPOINT_INTERVAL_MS: "0",
        }),
      ),
      launchChromium(),
    ]);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("renders Swagger UI with no CSP violation or script error", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    // The browser's own request for /favicon.ico (there is none) is not the page's doing.
    page.on(
      "console",
      (m) =>
        m.type() === "error" &&
        !m.location().url.endsWith("/favicon.ico") &&
        problems.push(`${m.text()} ${m.location().url}`),
    );
    page.on("pageerror", (e) => problems.push(e.message));
    await page.exposeFunction("reportViolation", (v: string) => problems.push(`CSP: ${v}`));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (e) =>
        (window as unknown as { reportViolation(v: string): void }).reportViolation(
          `${e.violatedDirective} ${e.blockedURI}`,
        ),
      );
    });
    const res = await page.goto(`${server.url}/docs`);
    expect(res!.headers()["content-security-policy"]).toContain("script-src 'self'");
    await page.waitForSelector(".swagger-ui .info .title", { timeout: 20_000 });
    expect(await page.locator(".swagger-ui .info .title").textContent()).toContain("Earshot API");
    await page.waitForSelector(".opblock");
    expect(await page.locator(".opblock").count()).toBeGreaterThan(20);
    // Opening an operation renders its schema (more of Swagger UI's styles and SVG icons).
    await page.locator(".opblock-summary").first().click();
    await page.waitForSelector(".opblock-body");
    expect(problems).toEqual([]);
  }, 60_000);
});
