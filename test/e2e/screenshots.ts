// Takes the README's console screenshots (docs/screenshots/*.png) against a real server holding the
// sample data: `npm run screenshots`. Needs Debian's chromium.
import { mkdirSync } from "node:fs";
import { launchChromium } from "../support/browser.js";
import { transitionMoment } from "../../src/services/moments/lifecycle.js";
import { addPerson, angryPost, signIn, startConsoleFixture } from "./console-fixture.js";

const out = new URL("../../docs/screenshots/", import.meta.url).pathname;
mkdirSync(out, { recursive: true });
const fixture = await startConsoleFixture();
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const shot = (name: string, fullPage = false) => page.screenshot({ path: `${out}${name}.png`, fullPage });

  await page.goto(`${fixture.url}/console`);
  await shot("sign-in");
  await signIn(page, fixture.url, fixture.supervisor);

  const month = new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 16);
  await page.goto(`${fixture.url}/console?q=refund&from=${month}`);
  await shot("search");

  await page.goto(`${fixture.url}/console?q=maria.gomez0%40mail.example&from=${month}`);
  await page.click("#customer-results a.title");
  await page.waitForSelector("#timeline");
  await page.locator(".tl.interaction[data-channel=chat] summary").first().click();
  await shot("customer", true);

  await page.goto(`${fixture.url}/console/moments`);
  await page.waitForSelector("body[data-live=connected]");
  const res = await fetch(`${fixture.url}/v1/interactions`, {
    method: "POST",
    headers: { authorization: `Bearer ${fixture.ingestKey}`, "content-type": "application/json" },
    body: JSON.stringify(angryPost(1)),
  });
  if (res.status !== 201) throw new Error(`ingest answered ${res.status}`);
  await page.waitForSelector("#live-list li");
  await shot("live-moment");

  // The queue as a supervisor sees it, one moment waiting past its target.
  await fixture.server.runtime.db.$client.execute(
    "UPDATE moments SET opened_at = opened_at - 3600000 WHERE id = (SELECT id FROM moments WHERE status = 'open' ORDER BY created_at DESC LIMIT 1)",
  );
  await page.goto(`${fixture.url}/console/queue?view=unassigned`);
  await page.waitForSelector("#queue-list");
  await shot("queue");

  await page.goto(`${fixture.url}/console/dashboard`);
  await page.waitForSelector("body[data-charts-drawn=true]");
  await shot("dashboard", true);

  // The agents page: two agents acknowledge the open moments, each after a wait of its own; the sample
  // chats' `agent-21` is the console person with that username.
  await addPerson(fixture.server, "agent", "agent-21", "Priya Shah");
  const db = fixture.server.runtime.db;
  const agents = (
    await db.$client.execute(
      "SELECT id, display_name FROM users WHERE username IN ('ana', 'agent-21') ORDER BY username",
    )
  ).rows;
  const open = (
    await db.$client.execute(
      "SELECT id FROM moments WHERE status = 'open' AND merged_into IS NULL ORDER BY created_at LIMIT 12",
    )
  ).rows;
  for (const [i, row] of open.entries()) {
    const who = agents[i % agents.length];
    await db.$client.execute({
      sql: "UPDATE moments SET opened_at = opened_at - ? WHERE id = ?",
      args: [(4 + ((i * 7) % 40)) * 60_000 * (i % 2 ? 1 : 3), String(row.id)],
    });
    await transitionMoment(
      db,
      String(row.id),
      "acknowledged",
      { id: `user:${who.id}`, name: String(who.display_name) },
      new Date(),
    );
  }
  await page.goto(`${fixture.url}/console/agents`);
  await page.waitForSelector("body[data-charts-drawn=true]");
  await shot("agents", true);
  console.log(`screenshots written to ${out}`);
} finally {
  await browser.close();
  await fixture.close();
}
