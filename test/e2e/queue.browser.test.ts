import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../../src/services/api-keys.js";
import { hasChromium, launchChromium } from "../support/browser.js";
import { angryPost, type ConsoleFixture, type Credentials, signIn, startConsoleFixture } from "./console-fixture.js";

// The queue in real Chromium against a real server over the sample data: an agent claims and
// acknowledges a new moment; a supervisor sees a breach of the acknowledge target and assigns it, and
// sees the agent on the agents page, which the agent may not open.
const run = hasChromium() || !!process.env.CI;

describe.runIf(run)("the work queue in the console (Chromium)", () => {
  let fixture: ConsoleFixture;
  let browser: Browser;
  let agent: Page;
  let supervisor: Page;
  let adminKey: string;
  let agentId: string;
  const problems: string[] = [];

  const signInAs = async (page: Page, who: Credentials) => {
    page.on("pageerror", (e) => problems.push(e.message));
    await signIn(page, fixture.url, who);
  };
  const api = async (method: string, path: string, key: string, body?: unknown) =>
    fetch(`${fixture.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    [fixture, browser] = await Promise.all([startConsoleFixture(), launchChromium()]);
    adminKey = (await createApiKey(fixture.server.runtime.db, "Supervisor Sue", ["admin"])).key;
    agent = await (await browser.newContext()).newPage();
    supervisor = await (await browser.newContext()).newPage();
    await signInAs(agent, fixture.agent);
    await signInAs(supervisor, fixture.supervisor);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await fixture?.close();
  });

  const momentOf = async (name: string) => {
    const res = await api("GET", "/v1/moments/queue?view=all&limit=100", adminKey);
    const page = (await res.json()) as { items: Array<{ id: string; customer: { label: string } }> };
    return page.items.find((m) => m.customer.label === name)?.id;
  };

  it("lets an agent claim a new moment and acknowledge it", async () => {
    expect((await api("POST", "/v1/interactions", fixture.ingestKey, angryPost(71))).status).toBe(201);
    await fixture.server.runtime.momentQueue.idle();
    const id = await momentOf("Live Customer 71");
    expect(id).toBeDefined();
    await agent.goto(`${fixture.url}/console/queue?view=unassigned`);
    const row = agent.locator(`#moment-${id}`);
    await expect.poll(() => row.locator(".customer-name").textContent()).toBe("Live Customer 71");
    await row.getByRole("button", { name: "Claim" }).click();
    await agent.waitForURL(/notice=/);
    expect(await agent.locator(".notice").textContent()).toContain("Claimed");
    await agent.goto(`${fixture.url}/console/queue?view=mine`);
    const mine = agent.locator(`#moment-${id}`);
    expect(await mine.textContent()).toContain("held by you");
    expect(await mine.locator(".status-badge").textContent()).toContain("open");
    await mine.getByRole("button", { name: "Acknowledge" }).click();
    await agent.waitForURL(/notice=/);
    const acked = agent.locator(`#moment-${id}`);
    expect(await acked.getAttribute("data-status")).toBe("acknowledged");
    expect(await acked.locator(".status-badge").textContent()).toContain("acknowledged");
    expect(await acked.getByRole("button", { name: "Acknowledge" }).count()).toBe(0);
    // An agent has no assign form.
    expect(await acked.locator("form.assign").count()).toBe(0);
    const m = (await (await api("GET", `/v1/moments/${id}`, adminKey)).json()) as {
      assignee: { id: string; name: string };
      acknowledged: { name: string };
    };
    expect(m.assignee.name).toBe(fixture.agent.name);
    expect(m.acknowledged.name).toBe(fixture.agent.name);
    agentId = m.assignee.id;
  });

  it("shows a supervisor the breach and lets them assign the moment to the agent's team and the agent", async () => {
    expect((await api("POST", "/v1/interactions", fixture.ingestKey, angryPost(72))).status).toBe(201);
    await fixture.server.runtime.momentQueue.idle();
    const id = (await momentOf("Live Customer 72"))!;
    // The moment has been waiting an hour: longer than any severity's default target.
    await fixture.server.runtime.db.$client.execute({
      sql: "UPDATE moments SET opened_at = opened_at - 3600000 WHERE id = ?",
      args: [id],
    });
    expect(
      (
        await api("PUT", `/v1/teams/payments/members/${encodeURIComponent(agentId)}`, adminKey, {
          name: fixture.agent.name,
        })
      ).status,
    ).toBe(200);
    await supervisor.goto(`${fixture.url}/console/queue?view=unassigned`);
    expect(await supervisor.locator("#breach-count").textContent()).toMatch(/⚠ \d+ past the acknowledge target/);
    const row = supervisor.locator(`#moment-${id}`);
    expect(await row.getAttribute("class")).toContain("breached");
    expect(await row.textContent()).toContain("past target");
    await row.getByLabel("Assign to").selectOption({ label: fixture.agent.name });
    await row.getByLabel("Team").selectOption("payments");
    await row.getByRole("button", { name: "Assign" }).click();
    await supervisor.waitForURL(/notice=/);
    expect(await supervisor.locator(".notice").textContent()).toContain(`Assigned to ${fixture.agent.name}`);
    await agent.goto(`${fixture.url}/console/queue?view=mine`);
    expect(await agent.locator(`#moment-${id}`).textContent()).toContain("team payments");
    await agent.goto(`${fixture.url}/console/queue?view=team`);
    expect(await agent.locator(`#moment-${id}`).count()).toBe(1);
    expect(problems).toEqual([]);
  });
  it("shows a supervisor the agent who acknowledged on the agents page, and an agent the denied page", async () => {
    await supervisor.goto(`${fixture.url}/console/queue`);
    await supervisor.getByRole("link", { name: "Agents" }).click();
    await supervisor.waitForURL(/\/console\/agents$/);
    await supervisor.waitForSelector("body[data-charts-drawn=true]");
    // The charts' text is their accessible summary: one entry per agent, by name.
    const handled = await supervisor.locator("#chart-handled canvas").getAttribute("aria-label");
    expect(handled).toContain(`${fixture.agent.name} 1 acknowledged`);
    const ack = await supervisor.locator("#chart-ack canvas").getAttribute("aria-label");
    expect(ack).toMatch(new RegExp(`${fixture.agent.name} median [\\d.]+ min`));
    expect(await supervisor.locator("#chart-sentiment").getAttribute("data-drawn")).toBe("true");

    expect(await agent.getByRole("link", { name: "Agents" }).count()).toBe(0);
    const refused = await agent.goto(`${fixture.url}/console/agents`);
    expect(refused?.status()).toBe(403);
    expect(await agent.getByRole("heading", { level: 1 }).textContent()).toBe("Not allowed");
    expect(await agent.locator("#denied").textContent()).toContain("review");
    expect(await agent.locator("#denied-who").textContent()).toContain(fixture.agent.name);
    await agent.getByRole("link", { name: "Back to search" }).click();
    await agent.waitForSelector("#search-summary");
    expect(problems).toEqual([]);
  });
});
