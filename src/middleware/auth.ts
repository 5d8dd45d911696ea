import { createMiddleware } from "hono/factory";
import type { Scope } from "../db/schema/index.js";
import { ApiError } from "../lib/problem.js";
import type { AppEnv } from "../app-env.js";
import type { Context } from "hono";
import { clientAddress } from "../lib/client-address.js";
import { hashKey, keyPrefix } from "../services/api-keys.js";

/** 429 with Retry-After once a key has used up its requests (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST). */
export function enforceRateLimit(c: Context<AppEnv>, keyId: string, bucket: "api" | "console") {
  const verdict = c.var.deps.rateLimiter.take(keyId);
  if (verdict.ok) return;
  c.var.deps.metrics.rateLimited.inc({ bucket });
  throw new ApiError(
    "rate_limited",
    `This key has made too many requests; retry in ${verdict.retryAfterSeconds} s.`,
    undefined,
    { "retry-after": String(verdict.retryAfterSeconds) },
  );
}

/**
 * Checks a presented key under the failed-authentication throttle (src/services/auth-failures.ts):
 * 429 without checking it when its address or prefix has failed too often, else the principal or null
 * (counted as a failure). `bucket` labels the 429 in /metrics.
 */
export async function verifyThrottled(c: Context<AppEnv>, key: string, bucket: "api_auth" | "console_sign_in") {
  const { authFailures, keys, metrics } = c.var.deps;
  const address = clientAddress(c);
  const prefix = keyPrefix(key);
  const hash = hashKey(key);
  const wait = authFailures.retryAfter(address, prefix, hash);
  if (wait > 0) {
    metrics.rateLimited.inc({ bucket });
    throw new ApiError(
      "rate_limited",
      `Too many failed attempts to authenticate from this address or with this key prefix; retry in ${wait} s.`,
      undefined,
      { "retry-after": String(wait) },
    );
  }
  const principal = await keys.verify(key);
  if (principal) authFailures.succeeded(hash);
  else authFailures.failed(address, prefix);
  return principal;
}

/** Requires `Authorization: Bearer <key>` with one of the given scopes (admin implies every scope). */
export const requireScope = (...accepted: Scope[]) => scopeGuard(accepted, false);

/**
 * Like requireScope, also taking the key from the `key` query parameter: a helpdesk's webhook
 * settings often hold only a URL. The request log names the route pattern, never the query.
 */
export const requireScopeOrQueryKey = (...accepted: Scope[]) => scopeGuard(accepted, true);

const scopeGuard = (accepted: Scope[], queryKey: boolean) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    const key = bearer ?? (queryKey ? c.req.query("key") : undefined);
    if (!key)
      throw new ApiError(
        "unauthorized",
        `Send an API key as \`Authorization: Bearer <key>\`${queryKey ? " or `?key=<key>`" : ""}.`,
        undefined,
        { "www-authenticate": 'Bearer realm="earshot"' },
      );
    const principal = await verifyThrottled(c, key, "api_auth");
    if (!principal)
      throw new ApiError("unauthorized", "The API key is unknown or revoked.", undefined, {
        "www-authenticate": 'Bearer realm="earshot", error="invalid_token"',
      });
    if (!principal.scopes.includes("admin") && !accepted.some((s) => principal.scopes.includes(s))) {
      throw new ApiError(
        "forbidden",
        `This endpoint needs the ${accepted.map((s) => `"${s}"`).join(" or ")} scope; the key has ${principal.scopes.join(", ") || "none"}.`,
      );
    }
    enforceRateLimit(c, principal.id, "api");
    c.set("principal", principal);
    await next();
  });
