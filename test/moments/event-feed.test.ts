import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MomentEventFeed } from "../../src/services/moments/event-feed.js";
import { createHarness, type Harness } from "../support/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const emit = (n: number) =>
  h.runtime.db.write(async ({ client }) => {
    for (let i = 0; i < n; i++)
      await client.execute({
        sql: "INSERT INTO moment_events (moment_id, type, payload, created_at) VALUES (?, 'moment.flagged', ?, 0)",
        args: [`mom_${i}`, JSON.stringify({ id: `mom_${i}` })],
      });
  });
const ids = (frames: string) => [...frames.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe("MomentEventFeed", () => {
  it("serves recent events from memory and older ones from the log, in order and without gaps", async () => {
    const feed = new MomentEventFeed(h.runtime.db, { pollMs: 20, keep: 5 });
    await feed.start();
    const start = feed.head;
    const woke = feed.wait(5000);
    await emit(12);
    await woke; // the next poll found them and woke the waiter
    expect(feed.head).toBe(start + 12);
    // Behind the ring (it keeps 5): read from the log.
    const all = await feed.after(start);
    expect(ids(all.frames)).toEqual(Array.from({ length: 12 }, (_, i) => start + 1 + i));
    // Within the ring: from memory.
    const recent = await feed.after(start + 9);
    expect(ids(recent.frames)).toEqual([start + 10, start + 11, start + 12]);
    expect(recent.last).toBe(start + 12);
    expect((await feed.after(feed.head)).frames).toBe("");
    // A limit pages through a long gap.
    const page = await feed.after(start, 4);
    expect(ids(page.frames)).toHaveLength(4);
    expect(page.last).toBe(start + 4);
    feed.stop();
  });
});
