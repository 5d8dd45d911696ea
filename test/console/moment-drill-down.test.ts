import { afterAll, beforeAll, expect, it } from "vitest";
import { windowMoments } from "../../src/services/moments/window-moments.js";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";

// Every cell and bar of the dashboard's "Moments by severity" leads to a moments page whose count is
// the number the cell shows, per day, severity and chosen channels (app.request()).

let h: Harness;
const now = new Date("2026-03-20T12:34:56.789Z");
const DAY = 86_400_000;
const ANGRY = [
  "My withdrawal failed and nobody answers. This is ridiculous!",
  "You charged me twice and nobody replies, I am furious.",
  "Worst bank ever, my money is stuck. Closing my account.",
];

beforeAll(async () => {
  h = await createHarness({}, { clock: () => now });
  const customerIds: string[] = [];
  for (let c = 0; c < 14; c++) {
    const customer = { customerId: `crm-drill-${c}`, email: `drill.${c}@example.com`, name: `Drill ${c}` };
    // Spread over the 30-day window at odd minutes, one customer's signals within the hour.
    const base = now.getTime() - ((c * 2.3) % 29) * DAY - (c % 5) * 3_600_000 - 17 * 60_000;
    const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString();
    // More signals make a more severe moment: some customers get a failure, a chat and a public post.
    if (c % 3 !== 0)
      await h.request("POST", "/v1/events", {
        body: eventInput({ customer, type: "transaction", name: "withdrawal", status: "failed", occurredAt: at(0) }),
      });
    const chat = await h.request("POST", "/v1/interactions", {
      body: chatInput({ customer, occurredAt: at(5), turns: [{ speaker: "customer", text: ANGRY[c % 3] }] }),
    });
    expect(chat.status).toBe(201);
    customerIds.push((await chat.json()).customerId);
    if (c % 3 === 2)
      await h.request("POST", "/v1/interactions", {
        body: socialInput({ customer, occurredAt: at(20), text: ANGRY[2] }),
      });
  }
  await h.runtime.momentQueue.idle();
  // Two customers found to be one: one live moment is folded into the other, and both counts keep it.
  const merged = await h.request("POST", `/v1/customers/${customerIds[4]}/merge`, {
    key: h.keys.admin,
    body: { customerId: customerIds[1] },
  });
  expect(merged.status).toBe(200);
});
afterAll(() => h.close());

const page = async (cookie: string, path: string, status = 200) => {
  const res = await h.request("GET", path.replace(/&amp;/g, "&"), { key: null, headers: { cookie } });
  expect(res.status, path).toBe(status);
  return res.text();
};
const dashboardOf = (html: string) =>
  JSON.parse(html.match(/<script type="application\/json" id="dashboard-data">([\s\S]*?)<\/script>/)![1]);
const countOf = (html: string) => Number(html.match(/<span id="moment-count">(\d+)<\/span>/)![1]);

it("every moments cell opens a moments page that counts what the cell counts", async () => {
  const { cookie } = await h.person("supervisor");
  for (const query of ["", "?channel=social", "?channel=chat,email"]) {
    const html = await page(cookie, `/console/dashboard${query}`);
    const data = dashboardOf(html);
    const checks: Array<[string, number]> = [[data.links.allMoments, data.totals.moments]];
    for (const s of data.momentsBySeverity as Array<{ severity: string; counts: number[] }>)
      s.counts.forEach((n, i) => {
        if (n) checks.push([data.links.moments[s.severity][i], n]);
      });
    if (!query) {
      expect(data.totals.moments).toBeGreaterThanOrEqual(10);
      expect(checks.length).toBeGreaterThan(8);
      const severities = (data.momentsBySeverity as Array<{ counts: number[] }>).filter((s) => s.counts.some(Boolean));
      expect(severities.length).toBeGreaterThan(1);
    }
    if (query === "?channel=social")
      expect(data.totals.moments).toBeLessThan(dashboardOf(await page(cookie, "/console/dashboard")).totals.moments);
    for (const [href, expected] of checks) {
      const list = await page(cookie, href);
      expect(countOf(list), href).toBe(expected);
      expect(list.match(/<li class="row moment /g)?.length ?? 0, href).toBe(Math.min(expected, 100));
      expect(list).toContain('id="show-all-moments"');
    }
    // The table holds the same links as the chart.
    for (const [href] of checks) expect(html).toContain(`href="${href.replace(/&/g, "&amp;")}"`);
  }
}, 60_000);

it("names its filters, refuses an invalid window as the console does, and keeps the live board without them", async () => {
  const { cookie } = await h.person("agent");
  const list = await page(
    cookie,
    "/console/moments?from=2026-03-01T00:00&to=2026-03-21T00:00&severity=high,bogus&channel=chat",
  );
  expect(list).toMatch(/id="moment-filters">Triggered from [^<]*; severity high; channel Chat; any status/);
  // A folded moment is listed, as it is counted, but acted on where it was folded.
  const month = await page(cookie, "/console/moments?channel=chat");
  expect(month.match(/A customer merge folded this moment into/g)).toHaveLength(1);
  const bad = await page(cookie, "/console/moments?from=yesterday", 400);
  expect(bad).toContain('id="window-error"');
  const live = await page(cookie, "/console/moments");
  expect(live).toContain("Live complaint-risk moments");
  expect(live).not.toContain('id="moment-count"');
});

it("lists a bounded page of a window's moments with the exact count of all", async () => {
  const q = { from: new Date(now.getTime() - 30 * DAY), to: now };
  const all = await windowMoments(h.runtime.db, q);
  const first = await windowMoments(h.runtime.db, q, 3);
  expect(first.total).toBe(all.total);
  expect(first.items.map((m) => m.id)).toEqual(all.items.slice(0, 3).map((m) => m.id));
  expect(first.items.every((m) => m.customerLabel.startsWith("Drill "))).toBe(true);
  // The dashboard counts a moment a merge folded into another, so its drill-down lists it too.
  expect(all.items.some((m) => m.mergedInto)).toBe(true);
});
