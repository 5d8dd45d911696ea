import { describe, expect, it } from "vitest";
import { LiveLatency } from "../../src/lib/live-latency.js";
import { Throttle, type ThrottleOptions } from "../../src/services/reanalysis/throttle.js";

// The re-analysis throttle on a hand-driven clock: each piece of work "takes" the time the test
// advances, and every pause is read, not slept.

const OPTS: ThrottleOptions = { minShare: 0.25, basePauseMs: 20, maxPauseMs: 1_000, latencyFactor: 1.5 };

function driven(live: { busy: boolean; p99: number | null }, opts = OPTS) {
  let t = 0;
  const throttle = new Throttle({ busy: () => live.busy, p99: () => live.p99 }, opts, () => t);
  let worked = 0;
  let waited = 0;
  /** One piece of work of `ms`, then the pause the throttle asks for. */
  const step = (ms: number) => {
    throttle.startWork();
    t += ms;
    worked += ms;
    throttle.endWork();
    const pause = throttle.nextPauseMs();
    t += pause;
    waited += pause;
    return pause;
  };
  return { throttle, step, share: () => worked / (worked + waited) };
}

describe("re-analysis throttle", () => {
  it("keeps the job's minimum share while live ingest is always busy and slow", () => {
    const live = { busy: true, p99: 100 };
    const d = driven(live);
    d.step(10);
    live.p99 = 900; // nine times the quiet p99: the backoff runs to its longest pause
    for (let i = 0; i < 500; i++) {
      d.step(10);
      expect(d.share()).toBeGreaterThanOrEqual(OPTS.minShare - 1e-9);
    }
    expect(d.throttle.backoffMs).toBe(OPTS.maxPauseMs);
    // Starved by nothing: a quarter of the time is the job's, to the millisecond.
    expect(d.share()).toBeCloseTo(OPTS.minShare, 3);
  });

  it("backs off while live p99 is above 1.5 × the quiet p99, and returns to the base pause when it falls", () => {
    const live = { busy: false, p99: 50 as number | null };
    const d = driven(live, { ...OPTS, minShare: 0.01 });
    expect(d.step(100)).toBe(20);
    live.p99 = 70; // 1.4 × the quiet 50: no backoff
    expect(d.step(100)).toBe(20);
    live.p99 = 80; // 1.6 ×: the pause doubles at each step
    expect([d.step(100), d.step(100), d.step(100)]).toEqual([40, 80, 160]);
    live.p99 = 55;
    const after = [d.step(100), d.step(100), d.step(100)];
    expect(after[0]).toBeCloseTo(160 * (2 / 3));
    expect(after[2]).toBeLessThan(after[1]);
    for (let i = 0; i < 20; i++) d.step(100);
    expect(d.throttle.backoffMs).toBe(20);
  });

  it("waits nothing before the job has worked: the first piece of work starts at once", () => {
    const d = driven({ busy: true, p99: null });
    expect(d.throttle.nextPauseMs()).toBe(0);
    expect(d.throttle.share).toBe(1);
  });

  it("reads the live p99 from the latest requests only once there are enough of them", () => {
    const l = new LiveLatency(100);
    for (let i = 0; i < 49; i++) l.observe(5);
    expect(l.p99()).toBeNull();
    l.observe(5);
    expect(l.p99()).toBe(5);
    for (let i = 0; i < 100; i++) l.observe(i < 98 ? 10 : 400);
    // The ring holds the latest 100: 98 at 10 ms and 2 at 400 ms.
    expect(l.p99()).toBe(400);
    for (let i = 0; i < 100; i++) l.observe(10);
    expect(l.p99()).toBe(10);
  });
});
