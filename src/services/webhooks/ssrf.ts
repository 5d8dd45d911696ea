import type { LookupAddress } from "node:dns";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { nonPublicRange } from "./address-policy.js";

export class UnsafeWebhookUrl extends Error {}

/** Every address a host name resolves to. Injected by tests; the system resolver otherwise. */
export type HostResolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: HostResolver = (hostname) => lookup(hostname, { all: true });

/** A webhook URL with the addresses it may be connected to: resolved once and, unless allowed, all public. */
export interface WebhookTarget {
  url: URL;
  addresses: LookupAddress[];
}

export interface TargetOptions {
  allowPrivate: boolean;
  resolve?: HostResolver;
}

function parseWebhookUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrl("is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UnsafeWebhookUrl("must be http or https");
  if (url.username || url.password) throw new UnsafeWebhookUrl("must not carry credentials");
  return url;
}

/**
 * Resolves the URL's host once and refuses it when any address it resolves to is not public (unless
 * private networks are allowed). The delivery connects only to the addresses answered here, so a DNS
 * answer that changes after the check (rebinding) is never used.
 */
export async function resolveWebhookTarget(raw: string, opts: TargetOptions): Promise<WebhookTarget> {
  const url = parseWebhookUrl(raw);
  // WHATWG URL parsing has already normalised IPv4 literals (`0x7f.1`, `2130706433` → 127.0.0.1).
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const family = isIP(host);
  const addresses = family ? [{ address: host, family }] : await (opts.resolve ?? systemResolver)(host).catch(() => []);
  if (addresses.length === 0) throw new UnsafeWebhookUrl(`host ${host} does not resolve`);
  if (!opts.allowPrivate) {
    for (const a of addresses) {
      const range = nonPublicRange(a.address);
      if (range)
        throw new UnsafeWebhookUrl(
          `resolves to a private or reserved address (${a.address}: ${range}); set WEBHOOK_ALLOW_PRIVATE_NETWORKS=true to allow`,
        );
    }
  }
  return { url, addresses };
}

/** Refuses a URL that is not http(s), carries credentials, or (unless allowed) reaches a non-public address. */
export async function assertSafeWebhookUrl(raw: string, opts: TargetOptions): Promise<void> {
  // With private networks allowed there is nothing to judge the addresses by: a host that does not
  // resolve yet (a receiver started later) may still be registered.
  if (opts.allowPrivate) parseWebhookUrl(raw);
  else await resolveWebhookTarget(raw, opts);
}
