import { createServer } from "node:http";
import { createServer as createTlsServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/lib/logger.js";
import { DeliveryWorker } from "../../src/services/webhooks/delivery-worker.js";
import type { HostResolver } from "../../src/services/webhooks/ssrf.js";
import { createHarness, type Harness } from "../support/harness.js";
import { receiver, type Receiver } from "../support/receiver.js";

/**
 * A resolver that answers `first` once and `then` ever after, counting its calls: a DNS record that
 * changes under the service (rebinding). It never asks DNS, so the tests need no network.
 */
function rebinding(first: string, then: string): { calls: number; resolve: HostResolver } {
  const r: { calls: number; resolve: HostResolver } = {
    calls: 0,
    resolve: async () => [{ address: r.calls++ === 0 ? first : then, family: 4 }],
  };
  return r;
}

/** Queues one delivery for `hookId`, due now. */
async function queue(h: Harness, hookId: string, id: string) {
  const now = Date.now();
  await h.runtime.db.write(({ client }) =>
    client.execute({
      sql: "INSERT INTO webhook_deliveries (id, webhook_id, event_type, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'moment.flagged', '{}', 'pending', 0, ?, ?)",
      args: [id, hookId, now, now],
    }),
  );
}

const delivery = async (h: Harness, id: string) =>
  (
    await h.runtime.db.$client.execute({
      sql: "SELECT status, attempts, last_error FROM webhook_deliveries WHERE id = ?",
      args: [id],
    })
  ).rows[0];

/** Two receivers on the same port, one on 127.0.0.1 and one on 127.0.0.2 (all of 127/8 is loopback on Linux). */
async function twoReceivers(): Promise<[Receiver, Receiver]> {
  for (let tries = 0; ; tries++) {
    const two = await receiver(204, { host: "127.0.0.2" });
    try {
      return [await receiver(204, { host: "127.0.0.1", port: two.port }), two];
    } catch (e) {
      await two.close();
      if (tries === 5) throw e;
    }
  }
}

describe("webhook targets with default settings (private networks refused)", () => {
  const dns = { resolve: (async () => []) as HostResolver };
  let strict: Harness;
  beforeAll(async () => {
    strict = await createHarness({}, { resolveHost: (host) => dns.resolve(host) });
  });
  afterAll(() => strict.close());

  const register = (url: string) =>
    strict.request("POST", "/v1/webhooks", { key: strict.keys.admin, body: { url, events: ["moment.flagged"] } });

  it("registers webhooks to public IPv4 and IPv6 addresses", async () => {
    for (const url of [
      "http://8.8.8.8/hook",
      "https://1.1.1.1/hook",
      "http://[2606:4700::1111]/hook",
      "http://[::ffff:8.8.8.8]/hook",
    ]) {
      const res = await register(url);
      expect(res.status, url).toBe(201);
    }
  });

  it("refuses private addresses in every IPv6 form, naming the url field", async () => {
    for (const url of [
      "http://[::ffff:127.0.0.1]/",
      "http://[::127.0.0.1]/",
      "http://[64:ff9b::a9fe:a9fe]/latest",
      "http://[fec0::1]/",
      "http://[2002:c0a8:101::]/",
      "http://[fd00::1]/",
      "http://100.64.0.1/",
    ]) {
      const res = await register(url);
      expect(res.status, url).toBe(422);
      expect((await res.json()).errors[0], url).toMatchObject({
        field: "url",
        message: expect.stringContaining("private or reserved"),
      });
    }
  });

  it("refuses a delivery when the host name has since been rebound to a private address", async () => {
    const rx = await receiver();
    const rebind = rebinding("8.8.8.8", "127.0.0.1");
    dns.resolve = rebind.resolve;
    const res = await register(`http://rebind.example.test:${rx.port}/hook`);
    expect(res.status).toBe(201);
    await queue(strict, (await res.json()).id, "msg_rebind");

    const worker = new DeliveryWorker(strict.runtime.db, createLogger("silent"), {
      allowPrivate: false,
      resolveHost: rebind.resolve,
      timeoutMs: 1000,
    });
    expect(await worker.runOnce()).toBe(1);
    await rx.close();
    expect(rx.got).toHaveLength(0);
    expect(await delivery(strict, "msg_rebind")).toMatchObject({
      status: "pending",
      attempts: 1,
      last_error: expect.stringContaining("127.0.0.1: loopback"),
    });
    expect(rebind.calls).toBe(2);
  });
});

describe("webhook deliveries with private networks allowed", () => {
  let open: Harness;
  beforeAll(async () => {
    open = await createHarness({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
  });
  afterAll(() => open.close());

  const register = async (url: string) =>
    (
      await (
        await open.request("POST", "/v1/webhooks", { key: open.keys.admin, body: { url, events: ["moment.flagged"] } })
      ).json()
    ).id as string;

  it("connects to the address the check resolved, never to a second answer, with the host name in Host", async () => {
    const [one, two] = await twoReceivers();
    // The check sees 127.0.0.2; any later lookup would say 127.0.0.1.
    const rebind = rebinding("127.0.0.2", "127.0.0.1");
    await queue(open, await register(`http://pin.example.test:${two.port}/hook`), "msg_pinned");

    const worker = new DeliveryWorker(open.runtime.db, createLogger("silent"), {
      allowPrivate: true,
      resolveHost: rebind.resolve,
      timeoutMs: 2000,
    });
    expect(await worker.runOnce()).toBe(1);
    await Promise.all([one.close(), two.close()]);
    expect(await delivery(open, "msg_pinned")).toMatchObject({ status: "delivered", attempts: 1 });
    expect(one.got).toHaveLength(0);
    expect(two.got).toHaveLength(1);
    expect(two.got[0].headers.host).toBe(`pin.example.test:${two.port}`);
    expect(two.got[0].headers["webhook-id"]).toBe("msg_pinned");
    expect(rebind.calls).toBe(1);
  });

  it("still delivers to a 127.0.0.1 receiver named by its address", async () => {
    const rx = await receiver(204);
    await queue(open, await register(rx.url), "msg_literal");
    const worker = new DeliveryWorker(open.runtime.db, createLogger("silent"), { allowPrivate: true, timeoutMs: 2000 });
    expect(await worker.runOnce()).toBe(1);
    await rx.close();
    expect(rx.got.map((g) => g.headers["webhook-id"])).toEqual(["msg_literal"]);
  });

  it("does not follow redirects, and ends an attempt the receiver does not answer in time", async () => {
    const elsewhere = await receiver(204);
    const server = createServer((req, res) => {
      if (req.url === "/silent") return;
      res.writeHead(307, { location: elsewhere.url }).end();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    await queue(open, await register(`${base}/redirect`), "msg_redirect");
    await queue(open, await register(`${base}/silent`), "msg_silent");
    const worker = new DeliveryWorker(open.runtime.db, createLogger("silent"), { allowPrivate: true, timeoutMs: 300 });
    expect(await worker.runOnce()).toBe(2);
    server.closeAllConnections();
    await Promise.all([new Promise<void>((r) => server.close(() => r())), elsewhere.close()]);
    expect(elsewhere.got).toHaveLength(0);
    expect(await delivery(open, "msg_redirect")).toMatchObject({ status: "pending", last_error: "HTTP 307" });
    expect(await delivery(open, "msg_silent")).toMatchObject({
      status: "pending",
      last_error: expect.stringContaining("aborted"),
    });
  });

  it("offers TLS the host name (SNI) when connecting to a pinned address", async () => {
    const offered: string[] = [];
    // No certificate: the handshake ends once the server has read the name the client asked for.
    const tls = createTlsServer({
      SNICallback: (name, cb) => {
        offered.push(name);
        cb(new Error("no certificate here"));
      },
    }).on("tlsClientError", () => undefined);
    await new Promise<void>((r) => tls.listen(0, "127.0.0.1", r));
    const port = (tls.address() as { port: number }).port;
    await queue(open, await register(`https://sni.example.test:${port}/hook`), "msg_sni");
    const worker = new DeliveryWorker(open.runtime.db, createLogger("silent"), {
      allowPrivate: true,
      resolveHost: async () => [{ address: "127.0.0.1", family: 4 }],
      timeoutMs: 2000,
    });
    await worker.runOnce();
    await new Promise<void>((r) => tls.close(() => r()));
    expect(offered).toEqual(["sni.example.test"]);
    expect(await delivery(open, "msg_sni")).toMatchObject({ status: "pending", attempts: 1 });
  });
});
