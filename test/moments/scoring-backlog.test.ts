import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createRuntime } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import type { StoredItem } from "../../src/services/moments/scoring.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-backlog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = `es_${randomBytes(32).toString("base64url")}`;
const configFor = (name: string) =>
  loadConfig({
    DATABASE_URL: `file:${join(dir, `${name}.db`)}`,
    LOG_LEVEL: "silent",
    ANALYSIS_WORKERS: "0",
    EARSHOT_ADMIN_KEY: key,
  });
type Runtime = Awaited<ReturnType<typeof createRuntime>>;
const count = async (rt: Runtime, sql: string) => Number((await rt.db.$client.execute(sql)).rows[0].n);
const exec = (rt: Runtime, sql: string) => rt.db.write(({ client }) => client.execute(sql));

/**
 * Posts a journey that flags one moment while scoring cannot run (its table is renamed away, a real
 * database error inside the ingest transaction), and answers what the writer deferred to the queue.
 */
async function postWhileScoringFails(rt: Runtime): Promise<StoredItem[]> {
  const deferred: StoredItem[] = [];
  rt.momentQueue.enqueue = (items) => void deferred.push(...items);
  await exec(rt, "ALTER TABLE moments RENAME TO moments_away");
  const app = createApp(rt);
  const post = (path: string, body: unknown) =>
    app.request(path, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const customer = { customerId: "crm-backlog-1" };
  expect(
    (
      await post(
        "/v1/events",
        eventInput({
          customer,
          type: "transaction",
          name: "withdrawal",
          status: "failed",
          occurredAt: "2026-03-10T09:02:00Z",
        }),
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await post(
        "/v1/interactions",
        chatInput({
          customer,
          occurredAt: "2026-03-10T09:03:00Z",
          session: { waitSeconds: 60 },
          turns: [{ speaker: "customer", text: "My withdrawal failed and nobody answers. Ridiculous!" }],
        }),
      )
    ).status,
  ).toBe(201);
  expect(
    (
      await post(
        "/v1/interactions",
        socialInput({ customer, occurredAt: "2026-03-10T09:20:00Z", text: "Worst bank ever. Closing my account." }),
      )
    ).status,
  ).toBe(201);
  await exec(rt, "ALTER TABLE moments_away RENAME TO moments");
  return deferred;
}

describe("moment scoring that fails inside the ingest transaction", () => {
  it("keeps the records, puts them in the backlog and scores them on retry", async () => {
    const rt = await createRuntime(configFor("retry"), { logger: createLogger("silent") });
    const enqueue = rt.momentQueue.enqueue.bind(rt.momentQueue);
    const deferred = await postWhileScoringFails(rt);
    expect(deferred).toHaveLength(3);
    expect(await count(rt, "SELECT count(*) AS n FROM interactions")).toBe(2);
    expect(await count(rt, "SELECT count(*) AS n FROM journey_events")).toBe(1);
    expect(await count(rt, "SELECT count(*) AS n FROM moments")).toBe(0);
    expect(await count(rt, "SELECT count(*) AS n FROM scoring_backlog")).toBe(3);
    expect((await rt.metrics.momentScoringDeferred.get()).values[0].value).toBe(3);

    enqueue(deferred);
    await rt.momentQueue.idle();
    expect(await count(rt, "SELECT count(*) AS n FROM moments WHERE status = 'open'")).toBe(1);
    expect(await count(rt, "SELECT count(*) AS n FROM scoring_backlog")).toBe(0);
    await rt.close();
  });

  it("scores at the next start what a previous run deferred and never retried", async () => {
    const config = configFor("restart");
    const first = await createRuntime(config, { logger: createLogger("silent") });
    // The process "dies" before its queue retries anything.
    expect(await postWhileScoringFails(first)).toHaveLength(3);
    expect(await count(first, "SELECT count(*) AS n FROM scoring_backlog")).toBe(3);
    await first.close();

    const second = await createRuntime(config, { logger: createLogger("silent") });
    await second.momentQueue.idle();
    expect(await count(second, "SELECT count(*) AS n FROM moments WHERE status = 'open'")).toBe(1);
    expect(await count(second, "SELECT count(*) AS n FROM scoring_backlog")).toBe(0);
    await second.close();

    // A third start finds nothing left to do and flags nothing twice.
    const third = await createRuntime(config, { logger: createLogger("silent") });
    await third.momentQueue.idle();
    expect(await count(third, "SELECT count(*) AS n FROM moments")).toBe(1);
    expect(await count(third, "SELECT count(*) AS n FROM moment_events")).toBe(1);
    await third.close();
  });

  it("scores in the ingest transaction itself: the moment exists when the post is answered", async () => {
    const rt = await createRuntime(configFor("inline"), { logger: createLogger("silent") });
    let queued = 0;
    rt.momentQueue.enqueue = (items) => void (queued += items.length);
    const app = createApp(rt);
    const post = (path: string, body: unknown) =>
      app.request(path, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const customer = { customerId: "crm-inline-1" };
    await post(
      "/v1/events",
      eventInput({
        customer,
        type: "transaction",
        name: "withdrawal",
        status: "failed",
        occurredAt: "2026-03-10T09:02:00Z",
      }),
    );
    await post(
      "/v1/interactions",
      chatInput({
        customer,
        occurredAt: "2026-03-10T09:03:00Z",
        session: { waitSeconds: 60 },
        turns: [{ speaker: "customer", text: "My withdrawal failed and nobody answers. Ridiculous!" }],
      }),
    );
    expect(await count(rt, "SELECT count(*) AS n FROM moments WHERE status = 'open'")).toBe(1);
    expect(queued).toBe(0);
    expect(await count(rt, "SELECT count(*) AS n FROM scoring_backlog")).toBe(0);
    await rt.close();
  });
});
