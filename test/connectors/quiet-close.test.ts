import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRuntime } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { createHarness, type Harness } from "../support/harness.js";
import { deliver, hmacOf } from "./support.js";

// Chatwoot message_created deliveries in the shape of Chatwoot's webhook documentation ("Webhook
// events": the message at the top level, its conversation with `meta.sender`), as in chatwoot.test.ts.
const SECRET = "cw-quiet-secret-1234567890";
const contact = { id: 77, name: "Ana Ruiz", type: "contact", email: "ana.ruiz@example.com", phone_number: null };
const message = (conversationId: number, id: number, createdAt: string, content: string) => ({
  event: "message_created",
  id,
  content,
  created_at: createdAt,
  message_type: "incoming",
  content_type: "text",
  private: false,
  sender: contact,
  conversation: {
    id: conversationId,
    inbox_id: 1,
    channel: "Channel::WebWidget",
    status: "open",
    meta: { sender: contact, assignee: null },
  },
  account: { id: 1, name: "Acme" },
  inbox: { id: 1, name: "Website" },
});

// The sweep runs only when a test calls it: its timer is an hour and the clock is the test's.
let now = new Date("2025-03-04T13:00:00.000Z");
let h: Harness;
beforeAll(async () => {
  h = await createHarness(
    {
      CONNECTOR_CHATWOOT_SECRET: SECRET,
      CONVERSATION_QUIET_MINUTES: "60",
      CONVERSATION_SWEEP_INTERVAL_MS: "3600000",
      CONVERSATION_SWEEP_BATCH: "2",
    },
    { clock: () => now },
  );
});
afterAll(() => h.close());

const send = async (body: unknown) => {
  const raw = JSON.stringify(body);
  // Signed at the test clock's now: the age check reads the same clock.
  const ts = Math.floor(now.getTime() / 1000);
  const res = await deliver(h, "chatwoot", raw, {
    "x-chatwoot-signature": `sha256=${hmacOf("sha256", SECRET, `${ts}.${raw}`, "hex")}`,
    "x-chatwoot-timestamp": String(ts),
  });
  expect(res.status).toBe(200);
  return res.json();
};
const stored = async (id: string) => (await h.request("GET", `/v1/interactions/${id}`)).json();

describe("conversations closed after their quiet period", () => {
  it("closes and finally analyses conversations quiet for CONVERSATION_QUIET_MINUTES, a batch a run, and leaves recent ones open", async () => {
    const a = await send(message(500, 5001, "2025-03-04T10:00:00.000Z", "My refund has not arrived."));
    await send(message(500, 5002, "2025-03-04T10:05:00.000Z", "Still waiting, this is unacceptable."));
    const c = await send(message(501, 5011, "2025-03-04T09:00:00.000Z", "Where is my parcel?"));
    const d = await send(message(502, 5021, "2025-03-04T11:00:00.000Z", "The app crashes on login."));
    // Twenty minutes ago: inside the quiet period.
    const b = await send(message(503, 5031, "2025-03-04T12:40:00.000Z", "Can I change my address?"));

    expect(await h.runtime.quietCloser.run()).toBe(2);
    expect(await h.runtime.quietCloser.run()).toBe(1);
    expect(await h.runtime.quietCloser.run()).toBe(0);

    const chat = await stored(a.records[0].id);
    expect(chat.channelData).toMatchObject({
      closed: true,
      closedBy: "quiet",
      closedAt: now.toISOString(),
      quietSince: "2025-03-04T10:05:00.000Z",
    });
    expect(chat.channelData.lastTurnAt).toBeUndefined();
    expect(chat.turns).toHaveLength(2);
    expect(chat.analysis.sentiment.label).toBe("negative");
    for (const r of [c, d]) expect((await stored(r.records[0].id)).channelData.closedBy).toBe("quiet");
    const open = await stored(b.records[0].id);
    expect(open.channelData.closed).toBeUndefined();
    expect(open.channelData.lastTurnAt).toBe("2025-03-04T12:40:00.000Z");
  });

  it("starts the next session of a quiet-closed conversation as a chat of its own; a redelivery is still existing", async () => {
    const first = await send(message(510, 5101, "2025-03-04T08:00:00.000Z", "Hello, my card was declined."));
    expect(await h.runtime.quietCloser.run()).toBe(1);
    const later = await send(message(510, 5102, "2025-03-04T12:55:00.000Z", "Hello again, still declined."));
    expect(later.records[0]).toMatchObject({ externalId: "conversation:510#2", status: "created" });
    expect(later.records[0].id).not.toBe(first.records[0].id);
    const session2 = await stored(later.records[0].id);
    expect(session2.channelData.session).toBe(2);
    expect(session2.turns).toHaveLength(1);
    // The finalised session is unchanged.
    expect((await stored(first.records[0].id)).turns).toHaveLength(1);
    const replay = await send(message(510, 5101, "2025-03-04T08:00:00.000Z", "Hello, my card was declined."));
    expect(replay.records[0]).toMatchObject({ id: first.records[0].id, status: "existing" });
  });

  it("finds the sweep's work through the partial index of open conversations", async () => {
    const plan = await h.runtime.db.$client.execute({
      sql: `EXPLAIN QUERY PLAN SELECT source, external_id, json_extract(channel_data, '$.lastTurnAt') AS last_turn_at FROM interactions
            WHERE json_extract(channel_data, '$.lastTurnAt') IS NOT NULL AND json_extract(channel_data, '$.lastTurnAt') <= ?
            ORDER BY json_extract(channel_data, '$.lastTurnAt') LIMIT ?`,
      args: ["2025-03-04T12:00:00.000Z", 10],
    });
    expect(JSON.stringify(plan.rows)).toContain("interactions_open_conversation_idx");
  });

  it("survives a restart: a new process over the same database closes what the last one left open", async () => {
    const e = await send(message(520, 5201, "2025-03-04T12:50:00.000Z", "Is anyone there?"));
    const config = h.runtime.config;
    await h.runtime.close();
    now = new Date("2025-03-04T15:00:00.000Z");
    const restarted = await createRuntime(config, { logger: createLogger("silent"), clock: () => now });
    try {
      expect(await restarted.quietCloser.run()).toBeGreaterThanOrEqual(1);
      const rs = await restarted.db.$client.execute({
        sql: "SELECT json_extract(channel_data, '$.closedBy') AS by FROM interactions WHERE id = ?",
        args: [e.records[0].id],
      });
      expect(rs.rows[0].by).toBe("quiet");
    } finally {
      await restarted.close();
      // The harness's runtime is closed: only its directory is left to remove.
      h.close = async () => rmSync(h.dir, { recursive: true, force: true });
    }
  });
});
