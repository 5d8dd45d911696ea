import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { DomainError, overloaded } from "../src/lib/domain-error.js";
import { MAX_WAITING_DASHBOARDS } from "../src/workers/dashboard-pool.js";
import { chatInput, socialInput } from "./support/factories.js";
import { createHarness, type Harness } from "./support/harness.js";

// The console dashboard on its worker thread (DASHBOARD_WORKER, on by default): the same aggregates as
// on the calling thread, with the event loop free while they are computed.

const ORIGIN = "http://localhost";
const WINDOW = "from=2024-03-10T00:00&to=2026-03-11T00:00";
let threaded: Harness;
let inline: Harness;

async function signedIn(h: Harness) {
  const { cookie } = await h.person("agent");
  return (path: string) => h.app.request(`${ORIGIN}${path}`, { headers: { cookie } });
}

const dashboardOf = async (res: Response) => JSON.parse(/id="dashboard-data">([^<]*)</.exec(await res.text())![1]);

/** How many event-loop turns pass while `work` runs: none when it never yields to I/O. */
async function turnsDuring<T>(work: Promise<T>) {
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  const result = await work;
  done = true;
  return { result, turns };
}

beforeAll(async () => {
  const now = () => new Date("2026-03-10T12:00:00Z");
  [threaded, inline] = await Promise.all([
    createHarness({ DASHBOARD_WORKER: "true" }, { clock: now }),
    createHarness({}, { clock: now }),
  ]);
  const items = Array.from({ length: 60 }, (_, i) => {
    const occurredAt = new Date(Date.UTC(2024, 4, 1) + i * 11 * 86_400_000).toISOString();
    return i % 3
      ? chatInput({ occurredAt, customer: { customerId: `crm-w-${i % 7}` } })
      : socialInput({
          occurredAt,
          text: "Worst bank ever, my money is stuck. Closing my account.",
          customer: { customerId: `crm-w-${i % 7}` },
        });
  });
  for (const h of [threaded, inline]) {
    expect((await h.request("POST", "/v1/interactions/batch", { body: { items } })).status).toBe(200);
    await h.runtime.momentQueue.idle();
  }
});
afterAll(async () => {
  await Promise.all([threaded.close(), inline.close()]);
});

describe("the dashboard on its own thread", () => {
  it("draws the same aggregates as on the event loop", async () => {
    const [a, b] = await Promise.all([
      dashboardOf(await (await signedIn(threaded))(`/console/dashboard?${WINDOW}`)),
      dashboardOf(await (await signedIn(inline))(`/console/dashboard?${WINDOW}`)),
    ]);
    expect(a.totals.interactions).toBe(60);
    expect(a.totals.moments).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it("leaves the event loop free while it computes", async () => {
    const q = { from: new Date("2024-03-10T00:00:00Z"), to: new Date("2026-03-11T00:00:00Z"), channels: ["chat"] };
    await threaded.runtime.dashboards.run(q); // the thread is started
    const off = await turnsDuring(threaded.runtime.dashboards.run(q));
    const on = await turnsDuring(inline.runtime.dashboards.run(q));
    expect(off.result).toEqual(on.result);
    // On the event loop every query is a synchronous call: the aggregates complete without one turn.
    expect(on.turns).toBe(0);
    expect(off.turns).toBeGreaterThan(0);
  });

  it("lets at most MAX_WAITING_DASHBOARDS wait for the thread; the next gets 503 with Retry-After", async () => {
    const q = { from: new Date("2024-03-10T00:00:00Z"), to: new Date("2026-03-11T00:00:00Z") };
    const settled = await Promise.allSettled(
      Array.from({ length: MAX_WAITING_DASHBOARDS + 3 }, () => threaded.runtime.dashboards.run(q)),
    );
    expect(settled.filter((s) => s.status === "fulfilled")).toHaveLength(MAX_WAITING_DASHBOARDS);
    const refused = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected").map((s) => s.reason);
    expect(refused).toHaveLength(3);
    expect(refused.map((e) => e instanceof DomainError && e.code)).toEqual(Array(3).fill("overloaded"));
    // The app's one error handler answers that refusal as a 503 with Retry-After.
    const app = createApp(threaded.runtime);
    app.get("/refused", () => {
      throw overloaded("Too many dashboards are being computed; retry in a moment.");
    });
    const res = await app.request("/refused");
    expect([res.status, res.headers.get("retry-after"), res.headers.get("content-type")]).toEqual([
      503,
      "1",
      "application/problem+json",
    ]);
  });
});
