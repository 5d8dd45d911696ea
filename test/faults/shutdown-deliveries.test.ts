import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { receiver } from "../support/receiver.js";
import { startServerProcess } from "../support/server-process.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-term-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ADMIN = `es_${randomBytes(32).toString("base64url")}`;

/** A receiver that accepts deliveries and never answers them. */
async function hangingReceiver(): Promise<{ port: number; connections: () => number; close(): Promise<void> }> {
  let connections = 0;
  const server: Server = createServer(() => {
    connections++;
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as { port: number }).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("SIGTERM with webhook deliveries in flight to a receiver that hangs", () => {
  it("exits 0 within 5 s and leaves the undelivered deliveries pending, sent at the next start", async () => {
    const hang = await hangingReceiver();
    const env = {
      DATABASE_URL: `file:${join(dir, "term.db")}`,
      EARSHOT_ADMIN_KEY: ADMIN,
      ANALYSIS_WORKERS: "1",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    };
    const post = (url: string, path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const first = await startServerProcess(env);
    expect(
      (
        await post(first.url, "/v1/webhooks", {
          url: `http://127.0.0.1:${hang.port}/hook`,
          events: ["interaction.analyzed"],
        })
      ).status,
    ).toBe(201);
    const items = Array.from({ length: 20 }, (_, i) => ({
      source: "term-test",
      externalId: `t-${i}`,
      channel: "call_note",
      occurredAt: "2026-11-20T10:00:00Z",
      customer: { customerId: `crm-${i}` },
      text: "Customer asked about the fee.",
    }));
    expect((await post(first.url, "/v1/interactions/batch", { items })).status).toBe(200);
    // Deliveries are on their way: the receiver holds their connections open.
    await expect.poll(() => hang.connections(), { timeout: 10_000 }).toBeGreaterThan(0);

    const signalled = Date.now();
    first.child.kill("SIGTERM");
    const { code } = await first.exited;
    const took = Date.now() - signalled;
    expect(code).toBe(0);
    expect(took).toBeLessThan(5000);

    const db = createClient({ url: env.DATABASE_URL });
    const rows = (await db.execute("SELECT status, attempts, next_attempt_at FROM webhook_deliveries")).rows;
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.status === "pending")).toBe(true);
    // Cut off by the shutdown rather than refused: no attempt counted, due at once.
    expect(rows.every((r) => Number(r.attempts) === 0 && Number(r.next_attempt_at) <= Date.now())).toBe(true);
    db.close();

    // The receiver comes back on its address; the next start sends what was left.
    await hang.close();
    const rx = await receiver(200, { port: hang.port });
    const second = await startServerProcess(env);
    await expect.poll(() => rx.got.length, { timeout: 15_000 }).toBe(20);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
    await rx.close();
    console.log(`SIGTERM to exit with 20 deliveries hanging: ${took} ms`);
  }, 90_000);
});
