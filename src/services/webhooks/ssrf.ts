import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

// Addresses a webhook must not reach unless the deployment allows private networks: loopback,
// private ranges, link-local (cloud metadata lives at 169.254.169.254), CGNAT, unspecified, multicast.
const blocked = new BlockList();
for (const [net, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16], ["224.0.0.0", 4], ["240.0.0.0", 4]] as const) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["::ffff:0:0", 96]] as const) blocked.addSubnet(net, prefix, "ipv6");

export class UnsafeWebhookUrl extends Error {}

/** Resolves the URL's host and refuses it when any address it resolves to is private (unless allowed). */
export async function assertSafeWebhookUrl(raw: string, allowPrivate: boolean): Promise<void> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrl("is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UnsafeWebhookUrl("must be http or https");
  if (url.username || url.password) throw new UnsafeWebhookUrl("must not carry credentials");
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true }).catch(() => {
    throw new UnsafeWebhookUrl(`host ${host} does not resolve`);
  });
  for (const a of addresses) {
    if (blocked.check(a.address, a.family === 6 ? "ipv6" : "ipv4")) throw new UnsafeWebhookUrl(`resolves to a private, loopback or link-local address (${a.address}); set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow`);
  }
}
