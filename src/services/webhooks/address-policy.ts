import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which addresses a webhook may reach by default: public unicast ones only. The ranges come from
 * ipaddr.js, which follows the IANA special-purpose address registries (RFC 6890 and successors).
 *
 * IPv6 is judged by allow-list: only global unicast (2000::/3) outside every special range passes, so
 * deprecated or unassigned forms (IPv4-compatible `::a.b.c.d`, site-local fec0::/10, 100::/64, …)
 * fail without each needing a rule. Two IPv6 forms carry an IPv4 address that is where the packets
 * end up, and are judged by it: IPv4-mapped `::ffff:a.b.c.d` (a dual-stack socket connects to the
 * IPv4 host) and NAT64 `64:ff9b::a.b.c.d` (RFC 6052; the translator connects to it). 6to4 and Teredo
 * tunnel to an embedded IPv4 relay or host and are refused whatever they carry.
 * @see https://www.iana.org/assignments/iana-ipv4-special-registry
 * @see https://www.iana.org/assignments/iana-ipv6-special-registry
 */
const globalUnicast = ipaddr.IPv6.parseCIDR("2000::/3");
const nat64 = ipaddr.IPv6.parseCIDR("64:ff9b::/96");
const ipv4Compatible = ipaddr.IPv6.parseCIDR("::/96");

/** The name of the non-public range `address` lies in, or null when it is public. Throws on a non-address. */
export function nonPublicRange(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return v4Range(ipaddr.IPv4.parse(address));
  if (family !== 6) throw new TypeError(`not an IP address: ${address}`);
  // A zone index (`fe80::1%eth0`) only exists on scoped, non-global addresses.
  if (address.includes("%")) return "scoped";
  // Parsed from the WHATWG URL serialisation (hex groups only): ipaddr.js reads the dotted
  // IPv4-compatible text `::a.b.c.d` as IPv4-mapped `::ffff:a.b.c.d`, which is another address.
  const v6 = ipaddr.IPv6.parse(new URL(`http://[${address}]/`).hostname.slice(1, -1));
  if (v6.isIPv4MappedAddress()) return v4Range(v6.toIPv4Address());
  if (v6.match(nat64)) return v4Range(ipaddr.IPv4.parse(v6.toByteArray().slice(12).join(".")));
  const range: string = v6.range();
  if (range === "unicast" && v6.match(ipv4Compatible)) return "ipv4Compatible";
  if (range !== "unicast") return range;
  return v6.match(globalUnicast) ? null : "notGlobalUnicast";
}

function v4Range(v4: ipaddr.IPv4): string | null {
  const range: string = v4.range();
  return range === "unicast" ? null : range;
}
