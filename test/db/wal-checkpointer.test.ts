import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/lib/logger.js";
import { WalCheckpointer } from "../../src/db/wal-checkpointer.js";
import { createHarness, type Harness } from "../support/harness.js";
import { chatInput } from "../support/factories.js";

const writerPragma = async (h: Harness) =>
  Number((await h.runtime.db.write(({ client }) => client.execute("PRAGMA wal_autocheckpoint"))).rows[0][0]);

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("background WAL checkpoints", () => {
  it("copy the WAL back on their own thread while the writer only keeps a safety threshold", async () => {
    h = await createHarness({ DATABASE_CHECKPOINT_INTERVAL_MS: "20" });
    // The writer's own threshold is a safety net far above SQLite's 1,000 pages; the thread checkpoints.
    expect(await writerPragma(h)).toBe(16_384);
    const items = Array.from({ length: 300 }, (_, i) => chatInput({ externalId: `wal-${i}` }));
    const res = await h.request("POST", "/v1/interactions/batch", { body: { items } });
    expect(res.status).toBe(200);

    // The database file grows only by checkpoints, and the writer's threshold (64 MB) is far off: the
    // thread copied the batch's pages into it.
    const dbFileSize = async () => statSync(join(h!.dir, "test.db")).size;
    expect(await until(dbFileSize, (n) => n > 300 * 1000)).toBeGreaterThan(300 * 1000);
    const complete = async () =>
      Number(
        (await (await h!.request("GET", "/metrics", { key: h!.keys.admin })).text()).match(
          /^earshot_wal_checkpoints_total\{outcome="complete"\} (\d+)/m,
        )?.[1] ?? 0,
      );
    expect(await until(complete, (n) => n > 0)).toBeGreaterThan(0);
  });

  it("hands checkpoints back to the writer when the thread cannot run", async () => {
    h = await createHarness();
    const checkpointer = new WalCheckpointer({
      url: "file:/nonexistent-dir/earshot/missing.db",
      walPath: "/nonexistent-dir/earshot/missing.db-wal",
      writeLock: h.runtime.db.writeLock,
      logger: createLogger("silent"),
    });
    try {
      expect(
        await until(
          () => writerPragma(h!),
          (n) => n === 1000,
        ),
      ).toBe(1000);
    } finally {
      await checkpointer.stop();
    }
  });
});
