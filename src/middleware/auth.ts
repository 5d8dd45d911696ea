import { createMiddleware } from "hono/factory";
import type { Scope } from "../db/schema/index.js";
import { ApiError } from "../lib/problem.js";
import type { AppEnv } from "../app-env.js";
import type { Context } from "hono";

/** 429 with Retry-After once a key has used up its requests (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST). */
export function enforceRateLimit(c: Context<AppEnv>, keyId: string, bucket: "api" | "console") {
  const verdict = c.var.deps.rateLimiter.take(keyId);
  if (verdict.ok) return;
  c.var.deps.metrics.rateLimited.inc({ bucket });
  throw new ApiError("rate_limited", `This key has made too many requests; retry in ${verdict.retryAfterSeconds} s.`, undefined, { "retry-after": String(verdict.retryAfterSeconds) });
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
    if (!key) throw new ApiError("unauthorized", `Send an API key as \`Authorization: Bearer <key>\`${queryKey ? " or `?key=<key>`" : ""}.`, undefined, { "www-authenticate": 'Bearer realm="earshot"' });
    const principal = await c.var.deps.keys.verify(key);
    if (!principal) throw new ApiError("unauthorized", "The API key is unknown or revoked.", undefined, { "www-authenticate": 'Bearer realm="earshot", error="invalid_token"' });
    if (!principal.scopes.includes("admin") && !accepted.some((s) => principal.scopes.includes(s))) {
      throw new ApiError("forbidden", `This endpoint needs the ${accepted.map((s) => `"${s}"`).join(" or ")} scope; the key has ${principal.scopes.join(", ") || "none"}.`);
    }
    enforceRateLimit(c, principal.id, "api");
    c.set("principal", principal);
    await next();
  });
