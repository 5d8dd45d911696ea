import { afterAll, beforeAll, expect, it } from "vitest";
import { createHarness, type Harness } from "../support/harness.js";
import { callNoteInput, chatInput, emailInput, socialInput } from "../support/factories.js";

// Every link the dashboard draws leads to a search page whose count is the number the bar or point
// shows, over days, channels, topics and needs (app.request(); the browser test clicks a few).

let h: Harness;
const now = new Date("2026-03-20T12:34:56.789Z");
const DAY = 86_400_000;
const TEXTS = [
  "I want a refund for the fee you charged twice on my card.",
  "My transfer has not arrived after five days, I am furious.",
  "Please cancel my account, the app keeps crashing when I log in.",
  "Thanks, the new app is great and the staff were kind.",
  "Where is my delivery? The order was due on Monday.",
];

beforeAll(async () => {
  h = await createHarness({}, { clock: () => now });
  const makers = [
    (text: string, at: string) => chatInput({ occurredAt: at, turns: [{ speaker: "customer", text }] }),
    (text: string, at: string) => emailInput({ occurredAt: at, body: text }),
    (text: string, at: string) => callNoteInput({ occurredAt: at, text }),
    (text: string, at: string) => socialInput({ occurredAt: at, text }),
  ];
  for (let i = 0; i < 40; i++) {
    // Spread over the 30-day window, at odd minutes, including the window's first and last hours.
    const at = new Date(now.getTime() - ((i * 0.77) % 30) * DAY + (i % 3) * 60_000 - 120_000).toISOString();
    const res = await h.request("POST", "/v1/interactions", { body: makers[i % 4](TEXTS[i % 5], at) });
    expect(res.status).toBe(201);
  }
});
afterAll(() => h.close());

it("every dashboard link opens a search that counts what the chart counts", async () => {
  const { cookie } = await h.person("supervisor");
  const page = async (path: string) => {
    const res = await h.request("GET", path, { key: null, headers: { cookie } });
    expect(res.status, path).toBe(200);
    return res.text();
  };
  const html = await page("/console/dashboard");
  const data = JSON.parse(html.match(/<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/)![1]);
  const countAt = async (href: string) =>
    Number((await page(href.replace(/&amp;/g, "&"))).match(/<span id="interaction-count">(\d+)<\/span>/)![1]);

  const checks: Array<[string, number]> = [[data.links.all, data.totals.interactions]];
  checks.push([data.links.flagged, data.totals.flagged]);
  for (const s of data.sentimentByChannel)
    s.volume.forEach((v: number, i: number) => {
      if (v) checks.push([data.links.sentiment[s.channel][i], v]);
    });
  for (const [i, t] of (data.topics as Array<{ volume: number }>).entries())
    checks.push([data.links.topics[i], t.volume]);
  for (const [i, n] of (data.needs as Array<{ volume: number }>).entries())
    checks.push([data.links.needs[i], n.volume]);
  expect(checks.length).toBeGreaterThan(20);
  for (const [href, expected] of checks) expect(await countAt(href), href).toBe(expected);
  // And the table holds the same links as the chart.
  for (const [href] of checks.slice(2)) expect(html).toContain(`href="${href.replace(/&/g, "&amp;")}"`);
}, 60_000);
