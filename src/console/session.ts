import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { enforceRateLimit } from "../middleware/auth.js";
import { hashKey } from "../services/api-keys.js";
import { consoleSessionPrincipal } from "../services/console-sessions.js";

export const SESSION_COOKIE = "earshot_session";

/** Where a signed-out visitor is sent: the sign-in page, which returns them here afterwards. */
export const signInHref = (c: Context<AppEnv>) =>
  `/console/sign-in?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ""))}`;

// Any fixed origin serves: only whether a value stays on it matters, never which host it is.
const CONSOLE_ORIGIN = "http://console.invalid";

/**
 * Only paths inside the console are followed after sign-in or a form post (no open redirects). The
 * value is resolved the way a browser would before it is judged: dot segments (`/console/..//x`,
 * also percent-encoded), backslashes (`/\x`) and scheme-relative forms (`//x`) all change what a raw
 * prefix test sees. What is answered is the resolved path, so a later `new URL()` cannot collapse it
 * into something else.
 */
export function safeBack(v: unknown, fallback = "/console"): string {
  if (typeof v !== "string") return fallback;
  let url: URL;
  try {
    url = new URL(v, CONSOLE_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== CONSOLE_ORIGIN || !(url.pathname === "/console" || url.pathname.startsWith("/console/")))
    return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Requires a live console session; pages redirect to sign-in, the live stream answers 401. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const principal = token ? await consoleSessionPrincipal(c.var.deps.db, token, Date.now()) : null;
  if (!principal) {
    if (c.req.method === "GET" && !c.req.path.startsWith("/console/live")) return c.redirect(signInHref(c), 303);
    return c.text("Sign in first.", 401);
  }
  enforceRateLimit(c, principal.id, "console");
  c.set("principal", principal);
  c.set("sessionHash", hashKey(token!));
  await next();
});
