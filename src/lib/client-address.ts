import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import ipaddr from "ipaddr.js";

/**
 * The address a request came from, as a throttle should count it: the TCP peer (never a forwarded
 * header, which a client writes itself), IPv4-mapped IPv6 as its IPv4 address, and IPv6 by its /64,
 * the block a single host is given and can pick addresses from at will. Requests built in-process
 * (tests, `app.request()`) have no socket and count as "local".
 */
export function clientAddress(c: Context): string {
  const raw = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
  if (!raw || !ipaddr.isValid(raw)) return "local";
  const addr = ipaddr.process(raw);
  if (addr.kind() === "ipv4") return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}
