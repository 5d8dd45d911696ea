import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createRuntime } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { chatInput, eventInput, socialInput } from "../support/factories.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-two-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = `es_${randomBytes(32).toString("base64url")}`;
const config = loadConfig({
  DATABASE_URL: `file:${join(dir, "shared.db")}`,
  LOG_LEVEL: "silent",
  ANALYSIS_WORKERS: "0",
  DATABASE_CHECKPOINT_INTERVAL_MS: "0",
  EARSHOT_ADMIN_KEY: key,
});

describe("two server runtimes on one database file (as EARSHOT_WORKERS runs them)", () => {
  it("score one customer's records, posted to both at once, into one moment", async () => {
    // Each runtime has its own connections, write lock and queues, like a separate process.
    const a = await createRuntime(config, { logger: createLogger("silent") });
    const b = await createRuntime(config, { logger: createLogger("silent") });
    const post = (rt: typeof a, path: string, body: unknown) =>
      createApp(rt).request(path, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const statuses: number[] = [];
    for (let n = 0; n < 5; n++) {
      const customer = { customerId: `crm-two-${n}` };
      const answers = await Promise.all([
        post(
          a,
          "/v1/events",
          eventInput({
            customer,
            type: "transaction",
            name: "withdrawal",
            status: "failed",
            occurredAt: "2026-03-10T09:02:00Z",
          }),
        ),
        post(
          b,
          "/v1/interactions",
          chatInput({
            customer,
            occurredAt: "2026-03-10T09:03:00Z",
            session: { waitSeconds: 60 },
            turns: [{ speaker: "customer", text: "My withdrawal failed and nobody answers. Ridiculous!" }],
          }),
        ),
        post(
          a,
          "/v1/interactions",
          socialInput({ customer, occurredAt: "2026-03-10T09:20:00Z", text: "Worst bank ever. Closing my account." }),
        ),
        post(
          b,
          "/v1/interactions",
          chatInput({
            customer,
            occurredAt: "2026-03-10T09:40:00Z",
            turns: [{ speaker: "customer", text: "Still no answer about my withdrawal. I want to cancel everything." }],
          }),
        ),
      ]);
      statuses.push(...answers.map((r) => r.status));
    }
    expect(statuses.every((s) => s === 201)).toBe(true);
    const perCustomer = (
      await a.db.$client.execute("SELECT customer_id, count(*) AS n FROM moments GROUP BY customer_id")
    ).rows;
    expect(perCustomer).toHaveLength(5);
    expect(perCustomer.every((r) => Number(r.n) === 1)).toBe(true);
    const flagged = await a.db.$client.execute("SELECT count(*) AS n FROM moment_events WHERE type = 'moment.flagged'");
    expect(Number(flagged.rows[0].n)).toBe(5);
    expect(Number((await a.db.$client.execute("SELECT count(*) AS n FROM scoring_backlog")).rows[0].n)).toBe(0);
    await a.close();
    await b.close();
  });
});
