import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { chatInput } from "../support/factories.js";
import { createHarness, type Harness } from "../support/harness.js";

let h: Harness;
afterEach(() => h?.close());

/** Another process's connection that takes the file's write lock and keeps it for `ms`. */
async function holdWriteLock(dir: string, ms: number) {
  const other = createClient({ url: `file:${join(dir, "test.db")}` });
  const tx = await other.transaction("write"); // BEGIN IMMEDIATE: the write lock is taken now
  const released = new Promise<void>((resolve) =>
    setTimeout(async () => {
      await tx.rollback();
      other.close();
      resolve();
    }, ms),
  );
  return released;
}

describe("a locked database", () => {
  it("waits out another writer's lock with backoff and answers 201, losing nothing", async () => {
    h = await createHarness();
    const released = holdWriteLock(h.dir, 1500);
    const started = Date.now();
    const posts = await Promise.all(
      Array.from({ length: 5 }, () => h.request("POST", "/v1/interactions", { body: chatInput() })),
    );
    expect(posts.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    await released;
    const ids = await Promise.all(posts.map(async (r) => (await r.json()).id));
    for (const id of ids) expect((await h.request("GET", `/v1/interactions/${id}`)).status).toBe(200);
  });

  it("answers 503 with Retry-After, not 500, when the lock outlasts the deadline, and the retry lands", async () => {
    h = await createHarness({ DATABASE_BUSY_TIMEOUT_MS: "300" });
    const released = holdWriteLock(h.dir, 1200);
    const body = chatInput();
    const res = await h.request("POST", "/v1/interactions", { body });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    await released;
    const retry = await h.request("POST", "/v1/interactions", { body });
    expect(retry.status).toBe(201);
  });
});
