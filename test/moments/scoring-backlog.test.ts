import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createRuntime } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-backlog-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const config = loadConfig({ DATABASE_URL: `file:${join(dir, "backlog.db")}`, LOG_LEVEL: "silent", ANALYSIS_WORKERS: "0", EARSHOT_ADMIN_KEY: "backlog-admin-key-0123456789abcdef" });
const count = async (rt: Awaited<ReturnType<typeof createRuntime>>, sql: string) => Number((await rt.db.$client.execute(sql)).rows[0].n);

describe("moment scoring survives a crash between commit and scoring", () => {
  it("scores at the next start what the previous run committed but never scored", async () => {
    const first = await createRuntime(config, { logger: createLogger("silent") });
    // The process "dies" right after each commit: nothing reaches the scoring queue.
    first.momentQueue.enqueue = () => {};
    const app = createApp(first);
    const post = (path: string, body: unknown) => app.request(path, { method: "POST", headers: { authorization: "Bearer backlog-admin-key-0123456789abcdef", "content-type": "application/json" }, body: JSON.stringify(body) });
    const customer = { customerId: "crm-backlog-1" };
    expect((await post("/v1/events", eventInput({ customer, type: "transaction", name: "withdrawal", status: "failed", occurredAt: "2026-03-10T09:02:00Z" }))).status).toBe(201);
    expect((await post("/v1/interactions", chatInput({ customer, occurredAt: "2026-03-10T09:03:00Z", session: { waitSeconds: 60 }, turns: [{ speaker: "customer", text: "My withdrawal failed and nobody answers. Ridiculous!" }] }))).status).toBe(201);
    expect((await post("/v1/interactions", socialInput({ customer, occurredAt: "2026-03-10T09:20:00Z", text: "Worst bank ever. Closing my account." }))).status).toBe(201);
    expect(await count(first, "SELECT count(*) AS n FROM moments")).toBe(0);
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
});
