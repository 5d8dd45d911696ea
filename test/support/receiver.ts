import { createServer, type Server } from "node:http";

export interface Receiver {
  url: string;
  port: number;
  /** Every request received, in order. */
  got: Array<{ headers: Record<string, string>; body: string }>;
  /** The `type` of each event received (Standard Webhooks body). */
  types(): string[];
  close(): Promise<void>;
}

/** A webhook receiver (on 127.0.0.1 and a free port unless told) that records what it gets, answering `status`. */
export async function receiver(status = 200, at: { host?: string; port?: number } = {}): Promise<Receiver> {
  const got: Receiver["got"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(status).end();
    });
  });
  const host = at.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(at.port ?? 0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}/hook`,
    port,
    got,
    types: () => got.map((g) => JSON.parse(g.body).type as string),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
