import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env.js";
import { enforceRateLimit, forbidden, SESSION_COOKIE } from "../middleware/auth.js";
import { hashKey } from "../services/api-keys.js";
import type { Permission } from "../services/people/permissions.js";
import { sessionPrincipal } from "../services/people/sessions.js";
import { shell } from "./page-context.js";
import { DeniedPage } from "./pages/denied.js";

export { SESSION_COOKIE };

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

/** Requires a live console session; pages redirect to sign-in, the live stream and form posts answer 401. */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  const token = getCookie(c, SESSION_COOKIE);
  const principal = token ? await sessionPrincipal(c.var.deps.db, token) : null;
  if (!principal) {
    if (c.req.method === "GET" && !c.req.path.startsWith("/console/live")) return c.redirect(signInHref(c), 303);
    return c.text("Sign in first.", 401);
  }
  enforceRateLimit(c, principal.id, "console");
  c.set("principal", principal);
  c.set("sessionHash", hashKey(token!));
  await next();
});

/** A console route's guard, carrying the permission it checks so the route table can be read back (test/security). */
export type PermitMiddleware = MiddlewareHandler<AppEnv> & { permission: Permission };

/**
 * Requires the signed-in person to hold `permission` (src/services/people/permissions.ts). Every
 * console route behind the session names one; a page answers a readable 403, a form post the problem.
 */
export function permit(permission: Permission): PermitMiddleware {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    if (c.var.principal.permissions.has(permission)) return next();
    if (c.req.method === "GET") {
      const p = c.var.principal;
      const held =
        p.kind === "key"
          ? `with a key holding ${p.scopes.join(", ") || "no scope"}`
          : `${p.role === "admin" ? "an" : "a"} ${p.role}`;
      return c.html(DeniedPage({ shell: await shell(c), permission, held }), 403);
    }
    throw forbidden([permission], c.var.principal);
  };
  return Object.assign(guard, { permission });
}
