import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../app-env.js";
import { clientAddress } from "../lib/client-address.js";
import { audit } from "../services/people/audit.js";
import type { PendingLogin } from "../services/people/oidc.js";
import { closeSession, sessionPrincipal, type OpenedSession } from "../services/people/sessions.js";
import { oidcSignIn, passwordSignIn, recordSignOut } from "../services/people/sign-in.js";
import { HOUR } from "./page-context.js";
import { SignedInPage, SignInPage } from "./pages/sign-in.js";
import { safeBack, SESSION_COOKIE } from "./session.js";

// Signing in and out of the console: a local password, the OpenID Provider (start and callback), and
// signing out. These pages are the only ones open without a session.
// Sessions and sign-ins are timed by the wall clock, not `deps.clock` (the "now" of windows and
// trends, which tests fix): a session must expire in real time.

/** The cookie that carries the OpenID login in progress: state, nonce and PKCE verifier. */
const OIDC_COOKIE = "earshot_oidc";
const OIDC_COOKIE_PATH = "/console/oidc";

const isHttps = (c: Context<AppEnv>) =>
  new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";

/**
 * Hands the browser its session. Path `/` lets the same session call the API; SameSite=Strict keeps
 * other sites' pages from sending it.
 */
function setSession(c: Context<AppEnv>, session: OpenedSession) {
  setCookie(c, SESSION_COOKIE, session.token, {
    path: "/",
    httpOnly: true,
    sameSite: "Strict",
    secure: isHttps(c),
    expires: session.expiresAt,
    maxAge: Math.floor(c.var.deps.config.CONSOLE_SESSION_HOURS * 3600),
  });
}

const signInPage = (c: Context<AppEnv>, next: string, error?: string, username?: string) => (
  <SignInPage next={next} error={error} username={username} oidc={!!c.var.deps.oidc} />
);

/** Reads the login in progress back from its cookie; null when it is missing or not one this server wrote. */
function pendingLogin(raw: string | undefined): PendingLogin | null {
  if (!raw || raw.length > 2000) return null;
  try {
    const p = JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) as PendingLogin;
    return typeof p.state === "string" && typeof p.nonce === "string" && typeof p.verifier === "string"
      ? { ...p, next: safeBack(p.next) }
      : null;
  } catch {
    return null;
  }
}

export const signInRoutes = new Hono<AppEnv>()
  .get("/sign-in", (c) => c.html(signInPage(c, safeBack(c.req.query("next")))))
  .post("/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const next = safeBack(form.next);
    const username = typeof form.username === "string" ? form.username : "";
    const password = typeof form.password === "string" ? form.password : "";
    const { deps } = c.var;
    if (!username.trim() || !password)
      return c.html(signInPage(c, next, "Enter your username and password.", username.slice(0, 64)), 400);
    const outcome = await passwordSignIn(
      deps,
      { username, password },
      { address: clientAddress(c), now: new Date(), ttlMs: deps.config.CONSOLE_SESSION_HOURS * HOUR },
    );
    if (!outcome.ok) {
      if (outcome.reason === "throttled") {
        deps.metrics.rateLimited.inc({ bucket: "console_sign_in" });
        c.header("retry-after", String(outcome.retryAfter));
        return c.html(
          signInPage(c, next, `Too many failed sign-ins; retry in ${outcome.retryAfter} s.`, username.slice(0, 64)),
          429,
        );
      }
      return c.html(
        signInPage(c, next, outcome.message, username.slice(0, 64)),
        outcome.reason === "disabled" ? 403 : 401,
      );
    }
    setSession(c, outcome.session);
    deps.logger.info({ userId: outcome.user.id, method: "password" }, "console sign-in");
    return c.redirect(next, 303);
  })
  .get("/oidc/start", async (c) => {
    const { oidc, logger } = c.var.deps;
    const next = safeBack(c.req.query("next"));
    if (!oidc) return c.html(signInPage(c, next, "Sign-in through an identity provider is not set up here."), 404);
    let started: Awaited<ReturnType<typeof oidc.start>>;
    try {
      started = await oidc.start(next);
    } catch (e) {
      logger.warn({ err: { message: (e as Error).message } }, "OpenID Provider unreachable");
      return c.html(signInPage(c, next, "The identity provider cannot be reached; try again shortly."), 503);
    }
    setCookie(c, OIDC_COOKIE, Buffer.from(JSON.stringify(started.pending)).toString("base64url"), {
      path: OIDC_COOKIE_PATH,
      httpOnly: true,
      // Lax, not Strict: the provider's redirect back is a cross-site navigation, which must carry it.
      sameSite: "Lax",
      secure: isHttps(c),
      maxAge: 600,
    });
    return c.redirect(started.url.href, 302);
  })
  .get("/oidc/callback", async (c) => {
    const { deps } = c.var;
    const { oidc, logger, authFailures } = deps;
    const pending = pendingLogin(getCookie(c, OIDC_COOKIE));
    deleteCookie(c, OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    if (!oidc)
      return c.html(signInPage(c, "/console", "Sign-in through an identity provider is not set up here."), 404);
    const address = clientAddress(c);
    const wait = authFailures.retryAfter(address, "oidc", "");
    if (wait > 0) {
      c.header("retry-after", String(wait));
      return c.html(signInPage(c, "/console", `Too many failed sign-ins; retry in ${wait} s.`), 429);
    }
    const query = new URL(c.req.url).searchParams;
    const refuse = async (message: string, reason: string, status: 400 | 401 | 403 | 502) => {
      authFailures.failed(address, "oidc");
      await audit(deps.db, {
        action: "sign_in_failed",
        actor: { ref: "anonymous", name: "not signed in" },
        details: { method: "oidc", reason },
        at: new Date(),
      });
      return c.html(signInPage(c, pending?.next ?? "/console", message), status);
    };
    if (!pending)
      return refuse("That sign-in expired or was started elsewhere; sign in again.", "no_pending_login", 400);
    if (query.get("error"))
      return refuse(
        "The identity provider did not sign you in.",
        `provider_error:${query.get("error")!.slice(0, 40)}`,
        401,
      );
    let identity: Awaited<ReturnType<typeof oidc.finish>>;
    try {
      identity = await oidc.finish(query, pending);
    } catch (e) {
      logger.warn({ err: { message: (e as Error).message } }, "OpenID sign-in refused");
      return refuse("The identity provider's answer could not be verified; sign in again.", "unverified_response", 401);
    }
    const outcome = await oidcSignIn(deps.db, oidc.settings, identity, {
      now: new Date(),
      ttlMs: deps.config.CONSOLE_SESSION_HOURS * HOUR,
    });
    if (!outcome.ok) return c.html(signInPage(c, pending.next, "message" in outcome ? outcome.message : ""), 403);
    setSession(c, outcome.session);
    logger.info({ userId: outcome.user.id, method: "oidc" }, "console sign-in");
    // A page, not a redirect: the browser arrived here from the provider's site, and a SameSite=Strict
    // cookie is not sent on a redirect that continues a cross-site navigation; this page's own
    // navigation is same-site.
    return c.html(<SignedInPage next={pending.next} />);
  })
  .post("/sign-out", async (c) => {
    const { db } = c.var.deps;
    const token = getCookie(c, SESSION_COOKIE);
    if (token) {
      const person = await sessionPrincipal(db, token);
      await closeSession(db, token);
      if (person) await recordSignOut(db, person, new Date());
    }
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/console/sign-in", 303);
  });
