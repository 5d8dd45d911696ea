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

/** A webhook receiver on 127.0.0.1 that records what it gets, answering `status`. */
export async function receiver(status = 200): Promise<Receiver> {
  const got: Receiver["got"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    got,
    types: () => got.map((g) => JSON.parse(g.body).type as string),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
