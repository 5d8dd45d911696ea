import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { receiver } from "../support/receiver.js";
import { startServerProcess } from "../support/server-process.js";

const dir = mkdtempSync(join(tmpdir(), "earshot-faults-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ADMIN = `es_${randomBytes(32).toString("base64url")}`;

const post = (url: string, path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const item = (batch: number, i: number) => ({
  source: "fault-test",
  externalId: `b${batch}-${i}`,
  channel: "call_note",
  occurredAt: "2026-11-20T10:00:00Z",
  customer: { customerId: `crm-${i % 50}` },
  text:
    i % 3
      ? "Customer asked about the fee on the statement; explained it."
      : "Customer furious about being charged twice, wants a refund.",
});

describe("kill -9 during sustained batch ingest", () => {
  it("keeps every interaction that got a 2xx, and replaying the client's retries makes no duplicates", async () => {
    const env = { DATABASE_URL: `file:${join(dir, "kill.db")}`, EARSHOT_ADMIN_KEY: ADMIN, ANALYSIS_WORKERS: "1" };
    const first = await startServerProcess(env);
    const acked = new Set<string>();
    const sent: Array<ReturnType<typeof item>[]> = [];
    let killed = false;
    const client = async (lane: number) => {
      for (let b = lane; !killed; b += 2) {
        const items = Array.from({ length: 100 }, (_, i) => item(b, i));
        sent.push(items);
        try {
          const res = await post(first.url, "/v1/interactions/batch", { items });
          if (res.status !== 200 && res.status !== 207) continue;
          const { results } = (await res.json()) as { results: Array<{ status: number }> };
          results.forEach((r, i) => {
            if (r.status < 300) acked.add(items[i].externalId);
          });
        } catch {
          return; // the server is gone
        }
      }
    };
    const lanes = [client(0), client(1)];
    // Kill once some batches have been answered, in the middle of others.
    while (acked.size < 600) await new Promise((r) => setTimeout(r, 20));
    first.child.kill("SIGKILL");
    killed = true;
    await Promise.all(lanes);
    await first.exited;

    const second = await startServerProcess(env);
    const db = createClient({ url: env.DATABASE_URL });
    const stored = new Set(
      (await db.execute("SELECT external_id FROM interactions WHERE source = 'fault-test'")).rows.map((r) =>
        String(r.external_id),
      ),
    );
    const lost = [...acked].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);

    // The client retries everything it sent, acknowledged or not.
    for (const items of sent) {
      const res = await post(second.url, "/v1/interactions/batch", { items });
      expect([200, 207]).toContain(res.status);
      const { results } = (await res.json()) as { results: Array<{ status: number }> };
      results.forEach((r, i) => {
        expect(r.status, items[i].externalId).toBe(acked.has(items[i].externalId) ? 200 : r.status);
      });
    }
    const unique = new Set(sent.flat().map((i) => i.externalId)).size;
    const [{ n, d: distinct }] = (
      await db.execute(
        "SELECT count(*) AS n, count(DISTINCT external_id) AS d FROM interactions WHERE source = 'fault-test'",
      )
    ).rows as unknown as Array<{ n: number; d: number }>;
    expect(Number(n)).toBe(unique);
    expect(Number(distinct)).toBe(unique);
    db.close();
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);
  }, 90_000);
});

describe("graceful shutdown on SIGTERM", () => {
  it("finishes the request in flight, ends live streams, sends due webhooks, then exits 0", async () => {
    const rx = await receiver(204);
    const env = {
      DATABASE_URL: `file:${join(dir, "term.db")}`,
      EARSHOT_ADMIN_KEY: ADMIN,
      ANALYSIS_WORKERS: "1",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    };
    const server = await startServerProcess(env);
    const hook = await post(server.url, "/v1/webhooks", { url: rx.url, events: ["moment.flagged"] });
    expect(hook.status).toBe(201);
    const live = await fetch(`${server.url}/v1/moments/stream`, { headers: { authorization: `Bearer ${ADMIN}` } });
    const liveEnded = live.body!.pipeTo(new WritableStream()).then(
      () => "ended",
      () => "ended",
    );

    const angry = {
      source: "fault-test",
      externalId: "angry-1",
      channel: "social",
      platform: "twitter",
      authorHandle: "@furious",
      public: true,
      occurredAt: new Date().toISOString(),
      text: "Charged twice AGAIN, nobody answers. Disgraceful. Refund me or I close my account!",
    };
    expect((await post(server.url, "/v1/interactions", angry)).status).toBe(201);
    const items = Array.from({ length: 500 }, (_, i) => item(9, i));
    const inFlight = post(server.url, "/v1/interactions/batch", { items });
    await new Promise((r) => setTimeout(r, 30));
    server.child.kill("SIGTERM");

    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await liveEnded).toBe("ended");
    expect((await server.exited).code).toBe(0);
    expect(rx.types()).toContain("moment.flagged");
    expect(server.logs.some((l) => l.msg === "shutting down")).toBe(true);
    const db = createClient({ url: env.DATABASE_URL });
    expect(
      Number((await db.execute("SELECT count(*) AS n FROM interactions WHERE external_id LIKE 'b9-%'")).rows[0].n),
    ).toBe(500);
    db.close();
    await rx.close();
  }, 60_000);
});

describe("EARSHOT_WORKERS", () => {
  it("serves from several processes over one database, with metrics for all of them", async () => {
    const env = {
      DATABASE_URL: `file:${join(dir, "cluster.db")}`,
      EARSHOT_ADMIN_KEY: ADMIN,
      EARSHOT_WORKERS: "2",
      ANALYSIS_WORKERS: "1",
    };
    const server = await startServerProcess(env, 60_000);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(server.url, "/v1/interactions", item(20, i)).then((r) => r.status)),
    );
    expect(statuses.every((s) => s === 201)).toBe(true);
    const servedBy = new Set(
      server.logs.filter((l) => l.msg === "request" && l.route === "/v1/interactions").map((l) => l.pid),
    );
    expect(servedBy.size).toBe(2);
    const metrics = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).text();
    expect(metrics).toMatch(/^earshot_ingested_total\{kind="interaction",outcome="created"\} 20$/m);
    server.child.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  }, 90_000);
});
