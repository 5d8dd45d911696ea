import { afterAll, beforeAll, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { sqlList } from "../../src/db/sql-list.js";
import { decodeCursor } from "../../src/lib/cursor.js";
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

const customerIds: string[] = [];

beforeAll(async () => {
  h = await createHarness({}, { clock: () => now });
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
  // Two customers found to be one: one live moment is folded into the other, and counted as that one.
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
const listedIds = (html: string) =>
  [...html.matchAll(/<li class="row moment [^"]*" id="moment-([^"]+)"/g)].map((m) => m[1]);

/** Every moments cell and bar of the dashboard, with the number it shows: the dashboard's data. */
function momentChecks(data: {
  totals: { moments: number };
  momentsBySeverity: Array<{ severity: string; counts: number[] }>;
  links: { allMoments: string; moments: Record<string, string[]> };
}) {
  const checks: Array<[string, number]> = [[data.links.allMoments, data.totals.moments]];
  for (const s of data.momentsBySeverity)
    s.counts.forEach((n, i) => {
      if (n) checks.push([data.links.moments[s.severity][i], n]);
    });
  return checks;
}

/** Each link's moments page counts what its cell shows, and lists that many (at most a page). */
async function expectLinksCountTheChart(cookie: string, checks: Array<[string, number]>) {
  for (const [href, expected] of checks) {
    const list = await page(cookie, href);
    expect(countOf(list), href).toBe(expected);
    expect(listedIds(list).length, href).toBe(Math.min(expected, 100));
    expect(list).toContain('id="show-all-moments"');
  }
}

it("every moments cell opens a moments page that counts what the cell counts", async () => {
  const { cookie } = await h.person("supervisor");
  for (const query of ["", "?channel=social", "?channel=chat,email"]) {
    const html = await page(cookie, `/console/dashboard${query}`);
    const data = dashboardOf(html);
    const checks = momentChecks(data);
    if (!query) {
      expect(data.totals.moments).toBeGreaterThanOrEqual(10);
      expect(checks.length).toBeGreaterThan(8);
      const severities = (data.momentsBySeverity as Array<{ counts: number[] }>).filter((s) => s.counts.some(Boolean));
      expect(severities.length).toBeGreaterThan(1);
    }
    if (query === "?channel=social")
      expect(data.totals.moments).toBeLessThan(dashboardOf(await page(cookie, "/console/dashboard")).totals.moments);
    await expectLinksCountTheChart(cookie, checks);
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
  const bad = await page(cookie, "/console/moments?from=yesterday", 400);
  expect(bad).toContain('id="window-error"');
  const live = await page(cookie, "/console/moments");
  expect(live).toContain("Live complaint-risk moments");
  expect(live).not.toContain('id="moment-count"');
});

it("counts a customer merge's fold once, on the dashboard and in its drill-down", async () => {
  const { cookie } = await h.person("supervisor");
  const { db } = h.runtime;
  const [survivor, merged] = [customerIds[10], customerIds[7]];
  const liveOf = (ids: string[], folded: boolean) =>
    db.all<{ id: string; merged_into: string | null }>(
      sql`SELECT id, merged_into FROM moments WHERE customer_id IN ${sqlList(ids)} AND status IN ('open', 'acknowledged')
        AND merged_into IS ${folded ? sql`NOT NULL` : sql`NULL`}`,
    );
  // Each has a live moment of its own in the window.
  expect(await liveOf([survivor], false)).toHaveLength(1);
  expect(await liveOf([merged], false)).toHaveLength(1);
  const dashboard = async () => dashboardOf(await page(cookie, "/console/dashboard"));
  const before = await dashboard();
  // The quality report counts flags raised the same way.
  const window = `from=${new Date(now.getTime() - 30 * DAY).toISOString()}&to=${now.toISOString()}`;
  const raised = async () =>
    (await (await h.request("GET", `/v1/quality?${window}`, { key: h.keys.admin })).json()).flagsRaised.moments;
  const raisedBefore = await raised();
  const res = await h.request("POST", `/v1/customers/${merged}/merge`, {
    key: h.keys.admin,
    body: { customerId: survivor },
  });
  expect(res.status).toBe(200);

  const folded = await liveOf([survivor, merged], true);
  expect(folded).toHaveLength(1);
  const after = await dashboard();
  // Two live moments became one: the dashboard counts one fewer, the one folded into the other.
  expect(after.totals.moments).toBe(before.totals.moments - 1);
  expect(await raised()).toBe(raisedBefore - 1);
  const all = await page(cookie, after.links.allMoments);
  expect(countOf(all)).toBe(after.totals.moments);
  const listed = listedIds(all);
  for (const f of folded) {
    expect(listed).not.toContain(f.id);
    expect(listed).toContain(f.merged_into);
  }
  // Every cell and bar still opens a page that counts what it shows, the fold's new severity included.
  await expectLinksCountTheChart(cookie, momentChecks(after));
}, 60_000);

it("lists a window's moments a bounded page at a time, with the exact count of all", async () => {
  const q = { from: new Date(now.getTime() - 30 * DAY), to: now };
  const all = await windowMoments(h.runtime.db, q);
  expect(all.nextCursor).toBeNull();
  const first = await windowMoments(h.runtime.db, q, { limit: 3 });
  expect(first.total).toBe(all.total);
  expect(first.items.map((m) => m.id)).toEqual(all.items.slice(0, 3).map((m) => m.id));
  expect(first.items.every((m) => m.customerLabel.startsWith("Drill "))).toBe(true);
  // The cursor walks the rest in the same order, each page saying how many came before it.
  const walked = [...first.items];
  for (let cursor = first.nextCursor; cursor; ) {
    const next = await windowMoments(h.runtime.db, q, { limit: 3, cursor: decodeCursor(cursor) });
    expect(next.before).toBe(walked.length);
    expect(next.total).toBe(all.total);
    walked.push(...next.items);
    cursor = next.nextCursor;
  }
  expect(walked.map((m) => m.id)).toEqual(all.items.map((m) => m.id));
  // A moment a merge folded into another is counted as that one, so it is not listed.
  expect(all.items.some((m) => m.mergedInto)).toBe(false);
});
