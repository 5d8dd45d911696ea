import { createHmac } from "node:crypto";
import type { Harness } from "../support/harness.js";

/** Posts a delivery to a connector as the sender would: the exact bytes, with the headers given. */
export function deliver(
  h: Harness,
  sender: string,
  body: unknown,
  headers: Record<string, string> = {},
  opts: { key?: string | null; query?: string } = {},
) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return h.request("POST", `/v1/connectors/${sender}${opts.query ?? ""}`, {
    key: opts.key,
    body: raw,
    headers: { "content-type": "application/json", ...headers },
  });
}

export const hmacOf = (algorithm: "sha1" | "sha256", secret: string, data: string, encoding: "hex" | "base64") =>
  createHmac(algorithm, secret).update(data).digest(encoding);

/** Now, in unix seconds, for a delivery's timestamp header. */
export const unixNow = () => Math.floor(Date.now() / 1000);
