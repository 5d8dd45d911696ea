// Clients that post to a bench server: node:http on kept-alive connections, and fetch to compare.
import http from "node:http";

/** An answer as the benches read it: the status and the whole body. */
export interface BenchResponse {
  status: number;
  ok: boolean;
  text: string;
}

/** Sends one request and reads the whole answer. */
export type BenchClient = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<BenchResponse>;

// Idle connections are closed here after 4 s, before the server's keep-alive timeout (Node's default,
// 5 s) closes them: a request sent on a connection the server is closing at that moment fails with
// ECONNRESET. Free connections are used in turn (fifo), so a pool grown in a burst stays open.
const keptAlive = new http.Agent({ keepAlive: true, timeout: 4000, scheduling: "fifo" });

/**
 * The client `bench:ingest` and `bench:alerts` post with: node:http over kept-alive connections. The
 * bench runs on the server's two cores, so whatever CPU the client spends is taken from the server:
 * `fetch` (undici) spent ~1.8 ms of CPU per single post here against ~0.75–0.9 ms for node:http.
 *
 * `bench:load` keeps `fetch`: its open-loop clients meet an event loop held by batch transactions.
 * There node:http gave a request that found every connection busy a new connection of its own, and
 * Node accepts one connection per event-loop turn, so such requests waited in the kernel's queue for
 * seconds (p99 5–17 s); fetch's pool hands a waiting request the first connection that frees up
 * (p99 1.1–1.7 s, with as many connections opened).
 */
export const httpClient: BenchClient = (url, init = {}) =>
  new Promise((resolve, reject) => {
    const { body } = init;
    const headers =
      body === undefined ? init.headers : { ...init.headers, "content-length": String(Buffer.byteLength(body)) };
    const req = http.request(url, { method: init.method ?? "GET", headers, agent: keptAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const status = res.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString("utf8") });
      });
    });
    req.on("error", reject);
    req.end(body);
  });

/** The same through `fetch`, which the benches used before; `bench:ingest -- --client fetch` compares the two. */
export const fetchClient: BenchClient = async (url, init) => {
  const res = await fetch(url, init);
  return { status: res.status, ok: res.ok, text: await res.text() };
};
