import http from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";

// The `fetch` @libsql/client's Hrana-over-HTTP client calls, on node:http instead of undici.
//
// Profiles of a node ingesting through sqld over http:// (docs/architecture.md "Remote database
// path") put undici at 9% of the main thread, its web streams at 4% and socket writes at 12%: each
// request body (about 1 MB of rows per batch of 500) went through a ReadableStream and was written
// chunk by chunk. Here a body is one write on a kept-alive connection, a pipeline answer is read
// whole, and a cursor answer (the batches of a transaction, one JSON line per entry) is the socket's
// own async iterator. Answers are asked uncompressed: on a LAN or loopback gzip costs both processes
// CPU for nothing.

const agents = {
  "http:": new http.Agent({ keepAlive: true, scheduling: "lifo" }),
  "https:": new https.Agent({ keepAlive: true, scheduling: "lifo" }),
};

/** undici's default for an answer's headers and body: a server that stalls longer fails the request. */
const STALL_MS = 300_000;

/** The part of a web Response the Hrana client reads. */
interface HranaResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  body: { [Symbol.asyncIterator](): AsyncIterator<Uint8Array>; cancel(): Promise<void> } | null;
  arrayBuffer(): Promise<ArrayBuffer>;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * What the clients of src/db/client.ts call for Hrana over HTTP. A bench that counts requests
 * (bench/remote-trace.ts) wraps `fetch` here; nothing else changes it.
 */
export const hranaTransport = { fetch: (request: Request) => hranaFetch(request) };

export async function hranaFetch(request: Request): Promise<HranaResponse> {
  const url = new URL(request.url);
  const transport = url.protocol === "https:" ? https : http;
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const headers: Record<string, string> = { "accept-encoding": "identity" };
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (body) headers["content-length"] = String(body.byteLength);
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = transport.request(url, {
      method: request.method,
      headers,
      agent: agents[url.protocol as keyof typeof agents],
    });
    req.setTimeout(STALL_MS, () => req.destroy(new Error(`no answer from ${url.host} in ${STALL_MS} ms`)));
    req.once("response", resolve);
    req.once("error", reject);
    req.end(body);
  });
  return answer(res);
}

function answer(res: http.IncomingMessage): HranaResponse {
  const status = res.statusCode ?? 0;
  let whole: Promise<Buffer> | undefined;
  const read = () => {
    whole ??= (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of res as Readable) chunks.push(chunk as Buffer);
      return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    })();
    return whole;
  };
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: {
      get: (name) => {
        const v = res.headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      },
    },
    body: {
      [Symbol.asyncIterator]: () => (res as Readable)[Symbol.asyncIterator](),
      cancel: async () => {
        res.destroy();
      },
    },
    arrayBuffer: async () => {
      const b = await read();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
    text: async () => (await read()).toString("utf8"),
    json: async () => JSON.parse((await read()).toString("utf8")),
  };
}
