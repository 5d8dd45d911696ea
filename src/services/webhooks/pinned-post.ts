import type { LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { WebhookTarget } from "./ssrf.js";

/** Connection pools for deliveries; idle sockets do not keep the process alive (Node unrefs them). */
export interface DeliveryAgents {
  http: http.Agent;
  https: https.Agent;
}

// An idle socket is dropped after 4 s, before a receiver on Node's default 5 s keep-alive timeout
// closes it, so a delivery is not written to a socket that is closing under it.
const pool = { keepAlive: true, timeout: 4000 };

export const createDeliveryAgents = (): DeliveryAgents => ({
  http: new http.Agent(pool),
  https: new https.Agent(pool),
});

/**
 * A `lookup` that answers only the addresses already resolved and checked, never asking DNS again.
 * The URL's host name still names the request, so the Host header and TLS SNI (and certificate
 * check) are those of the name, while the socket goes to a checked address.
 */
export function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
    const fits = family === 4 || family === 6 ? addresses.filter((a) => a.family === family) : addresses;
    if (fits.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`no checked IPv${family} address for ${hostname}`);
      err.code = "ENOTFOUND";
      callback(err, "", undefined);
    } else if (options.all) callback(null, fits);
    else callback(null, fits[0].address, fits[0].family);
  };
}

/**
 * POSTs `body` to the target over a connection to one of its checked addresses; answers the status.
 * Redirects are not followed: a 3xx is the receiver's answer, and a redirect could lead anywhere.
 */
export function postPinned(
  target: WebhookTarget,
  opts: {
    headers: Record<string, string>;
    body: string;
    timeoutMs: number;
    agents: DeliveryAgents;
    signal?: AbortSignal;
  },
): Promise<number> {
  const secure = target.url.protocol === "https:";
  const request = secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      {
        method: "POST",
        headers: { ...opts.headers, "content-length": String(Buffer.byteLength(opts.body)) },
        agent: secure ? opts.agents.https : opts.agents.http,
        lookup: pinnedLookup(target.addresses),
        signal: opts.signal
          ? AbortSignal.any([AbortSignal.timeout(opts.timeoutMs), opts.signal])
          : AbortSignal.timeout(opts.timeoutMs),
      },
      (res) => {
        // The body is not used, but reading it to the end frees the socket for the next delivery.
        // Settled on close, which also comes when the receiver or the timeout cuts the body short.
        res
          .on("error", reject)
          .on("close", () =>
            res.complete
              ? resolve(res.statusCode ?? 0)
              : reject(new Error("the receiver closed the connection mid-response")),
          )
          .resume();
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}
