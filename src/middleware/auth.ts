import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { clientAddress } from "../lib/client-address.js";
import { ApiError } from "../lib/problem.js";
import { hashKey, keyPrefix } from "../services/api-keys.js";
import { grantersOf, type Permission } from "../services/people/permissions.js";
import type { Principal } from "../services/people/principal.js";
import { sessionPrincipal } from "../services/people/sessions.js";

/** The console's session cookie; its path is `/` so a signed-in person can also call the API. */
export const SESSION_COOKIE = "earshot_session";

/** 429 with Retry-After once a key or a person has used up their requests (RATE_LIMIT_PER_SECOND, RATE_LIMIT_BURST). */
export function enforceRateLimit(c: Context<AppEnv>, principalId: string, bucket: "api" | "console") {
  const verdict = c.var.deps.rateLimiter.take(principalId);
  if (verdict.ok) return;
  c.var.deps.metrics.rateLimited.inc({ bucket });
  throw new ApiError(
    "rate_limited",
    `Too many requests from this ${bucket === "api" ? "key" : "session"}; retry in ${verdict.retryAfterSeconds} s.`,
    undefined,
    { "retry-after": String(verdict.retryAfterSeconds) },
  );
}

/**
 * Checks a presented key under the failed-authentication throttle (src/services/auth-failures.ts):
 * 429 without checking it when its address or prefix has failed too often, else the principal or null
 * (counted as a failure).
 */
export async function verifyThrottled(c: Context<AppEnv>, key: string) {
  const { authFailures, keys, metrics } = c.var.deps;
  const address = clientAddress(c);
  const prefix = keyPrefix(key);
  const hash = hashKey(key);
  const wait = authFailures.retryAfter(address, prefix, hash);
  if (wait > 0) {
    metrics.rateLimited.inc({ bucket: "api_auth" });
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

/**
 * A request authenticated by a cookie that changes something must come from this server's own pages:
 * the browser sends the cookie with any request to this origin, whoever wrote the page that made it.
 * The cookie is also SameSite=Strict; this holds where that is not honoured.
 */
function sameOrigin(c: Context<AppEnv>) {
  const site = c.req.header("sec-fetch-site");
  if (site) return site === "same-origin";
  const origin = c.req.header("origin");
  return origin !== undefined && origin === new URL(c.req.url).origin;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The principal a request acts for: the API key in `Authorization: Bearer` (or `?key=` where the route
 * takes one), else the person of the console session cookie. A key that is sent and unknown is a 401
 * even with a cookie, so a system never acts as whoever's browser it runs in.
 */
async function authenticate(c: Context<AppEnv>, queryKey: boolean): Promise<Principal | null> {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "")?.[1];
  const key = bearer ?? (queryKey ? c.req.query("key") : undefined);
  if (key) {
    const principal = await verifyThrottled(c, key);
    if (!principal)
      throw new ApiError("unauthorized", "The API key is unknown or revoked.", undefined, {
        "www-authenticate": 'Bearer realm="earshot", error="invalid_token"',
      });
    return principal;
  }
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const person = await sessionPrincipal(c.var.deps.db, token);
  if (!person) return null;
  if (!SAFE_METHODS.has(c.req.method) && !sameOrigin(c))
    throw new ApiError(
      "cross_site",
      "A signed-in browser's request that changes something must come from this site's pages.",
    );
  c.set("sessionHash", hashKey(token));
  return person;
}

/** `accepted`: any one of them lets the principal in; `"any"`: any authenticated principal. */
export type Requirement = Permission[] | "any";

/** The refusal names the permission and what grants it, so the caller knows which key or role to ask for. */
export function forbidden(accepted: Permission[], principal: Principal) {
  const { scopes, roles } = grantersOf(accepted);
  const held =
    principal.kind === "key"
      ? `the key has ${principal.scopes.map((s) => `"${s}"`).join(", ") || "no scope"}`
      : `you are ${principal.role === "admin" ? "an" : "a"} ${principal.role}`;
  return new ApiError(
    "forbidden",
    `This needs the ${accepted.map((p) => `"${p}"`).join(" or ")} permission, which the ${scopes.map((s) => `"${s}"`).join(", ")} scope or the ${roles.join(", ")} role grants; ${held}.`,
  );
}

/** Authenticates the request and requires one of the accepted permissions (see src/services/people/permissions.ts). */
export const requirePermission = (accepted: Requirement, opts: { queryKey?: boolean } = {}) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = await authenticate(c, opts.queryKey ?? false);
    if (!principal)
      throw new ApiError(
        "unauthorized",
        `Send an API key as \`Authorization: Bearer <key>\`${opts.queryKey ? " or `?key=<key>`" : ""}, or sign in to the console.`,
        undefined,
        { "www-authenticate": 'Bearer realm="earshot"' },
      );
    if (accepted !== "any" && !accepted.some((p) => principal.permissions.has(p))) throw forbidden(accepted, principal);
    enforceRateLimit(c, principal.id, principal.kind === "key" ? "api" : "console");
    c.set("principal", principal);
    await next();
  });
