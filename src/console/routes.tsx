import { Hono, type Context, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { CountryCode } from "libphonenumber-js";
import type { AppEnv } from "../app-env.js";
import { decodeCursor } from "../lib/cursor.js";
import { DomainError } from "../lib/domain-error.js";
import { streamMomentEvents } from "../routes/moments/stream.js";
import { personOf } from "../routes/person.js";
import type { Person } from "../services/person.js";
import { listTeams } from "../services/teams.js";
import { queuePage, queueViews, type QueueView } from "../services/moments/queue-view.js";
import { assignMoment, claimMoment } from "../services/moments/work.js";
import { QueuePage } from "./pages/queue.js";
import { momentAlert } from "../services/webhooks/alert-context.js";
import { ApiError } from "../lib/problem.js";
import { clientAddress } from "../lib/client-address.js";
import { agentSearch } from "../services/agent-search.js";
import { closeSession, type OpenedSession } from "../services/people/sessions.js";
import { oidcSignIn, passwordSignIn, recordSignOut } from "../services/people/sign-in.js";
import type { PendingLogin } from "../services/people/oidc.js";
import { actorOf } from "../services/people/principal.js";
import { eventTypesOf, interactionDetails, sentimentSeries } from "../services/customers/details.js";
import { customerProfile } from "../services/customers/profile.js";
import { customerTimeline } from "../services/customers/timeline.js";
import { transitionMoment } from "../services/moments/lifecycle.js";
import { getMoment, liveMomentBoard, liveMoments, openMomentCount } from "../services/moments/views.js";
import { verdictInputSchema } from "../contracts/verdicts.js";
import { recordVerdict } from "../services/verdicts/record.js";
import { currentVerdictsBy } from "../services/verdicts/views.js";
import { verdictLabel } from "./verdict-form.js";
import { consoleAsset } from "./assets.js";
import { INSTANT_RANGE_MESSAGE, instantInRange } from "../lib/time-window.js";
import { parseInstant } from "./format.js";
import { Layout } from "./layout.js";
import { CustomerPage } from "./pages/customer.js";
import { DashboardPage } from "./pages/dashboard.js";
import { notAnalysedCounts } from "../services/language-counts.js";
import { MomentsPage } from "./pages/moments.js";
import { SearchPage } from "./pages/search.js";
import { QualityPage } from "./pages/quality.js";
import { qualityReport } from "../services/verdicts/quality.js";
import { SignedInPage, SignInPage } from "./pages/sign-in.js";
import { audit } from "../services/people/audit.js";
import { sessionPrincipal } from "../services/people/sessions.js";
import { permit, requireSession, safeBack, SESSION_COOKIE } from "./session.js";
import { consoleWindow } from "./window.js";
import { searchFiltersOf } from "./search-filters.js";

const HOUR = 3_600_000;
// Sessions and sign-ins are timed by the wall clock, not `deps.clock` (the "now" of windows and
// trends, which tests fix): a session must expire in real time.
const DAY = 24 * HOUR;
const CHANNELS = new Set(["chat", "email", "call_note", "social"]);

/**
 * Scripts and styles come only from this origin; nothing inline runs. Data for the charts travels in
 * a JSON script block, which the browser never executes.
 */
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

async function shell(c: Context<AppEnv>) {
  const p = c.var.principal;
  return {
    user: p.name,
    role: p.kind === "person" ? p.role : undefined,
    canReview: p.permissions.has("review"),
    canExport: p.permissions.has("export"),
    openMoments: await openMomentCount(c.var.deps.db),
  };
}

const notFound = async (c: Context<AppEnv>, what: string) =>
  c.html(
    <Layout title="Not found" {...(await shell(c))}>
      <h1>Not found</h1>
      <p>{what}</p>
      <p>
        <a href="/console">Back to search</a>
      </p>
    </Layout>,
    404,
  );

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** A page's window (src/console/window.ts), or the readable 400 page naming the input to correct. */
async function pageWindow(c: Context<AppEnv>, defaultSpanMs: number) {
  const w = consoleWindow({ from: c.req.query("from"), to: c.req.query("to") }, c.var.deps.clock(), defaultSpanMs);
  if ("field" in w) return { refused: await badWindow(c, w.field, w.message) };
  return { window: w };
}

const badWindow = async (c: Context<AppEnv>, field: "from" | "to", message: string) =>
  c.html(
    <Layout title="Invalid time window" {...(await shell(c))}>
      <h1>Invalid time window</h1>
      <p class="notice" role="alert" id="window-error">
        {field === "from" ? "From" : "To"} {message}.
      </p>
      <p>
        <a href={c.req.path}>Start again with the default window</a>
      </p>
    </Layout>,
    400,
  );

/** A tampered, stale or oversized cursor (the API takes 500 characters) starts from the newest item rather than failing the page. */
function pageCursor(raw: string | undefined) {
  if (raw && raw.length > 500) return undefined;
  try {
    return decodeCursor(raw);
  } catch {
    return undefined;
  }
}

// Repeated parameters are counted once: each becomes a bound SQL parameter.
const channelsFrom = (c: Context<AppEnv>) =>
  [...new Set(c.req.queries("channel") ?? [])].filter((ch) => CHANNELS.has(ch));
/** As many event types as the API's `types` list takes. */
const MAX_TYPES = 20;

const originCheck = csrf();

/**
 * Hono's Origin check, with its refusal answered as what it is: a cross-site form post, not a key
 * without a scope (its 403 would otherwise become the `forbidden` problem).
 */
const refuseCrossSite: MiddlewareHandler<AppEnv> = async (c, next) => {
  let passed = false;
  try {
    await originCheck(c, async () => {
      passed = true;
    });
  } catch (e) {
    if (!(e instanceof HTTPException) || e.status !== 403) throw e;
  }
  if (!passed)
    throw new ApiError(
      "cross_site",
      "Form posts to the console must come from its own pages (the Origin header names another site, or none).",
    );
  await next();
};
/** Back to the page a form came from, with a notice saying what happened (it rides in the query). */
function backWithNotice(c: Context<AppEnv>, back: string, notice: string) {
  const [path, hash] = back.split("#");
  const target = new URL(path, "http://console.local");
  target.searchParams.set("notice", notice);
  return c.redirect(`${target.pathname}${target.search}${hash ? `#${hash}` : ""}`, 303);
}

/** The signed-in person, as a verdict records them. */
const consoleActor = (c: Context<AppEnv>) => ({ ...actorOf(c.var.principal), via: "console" as const });

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

export const consoleRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next();
    c.header("content-security-policy", CONSOLE_CSP);
    c.header("cache-control", c.res.headers.get("cache-control") ?? "no-store");
  })
  // Form posts must come from the console's own pages (Origin check), in small bodies.
  .use(refuseCrossSite)
  .use(bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text("Form too large.", 413) }))
  .get("/assets/:name", (c) => {
    const asset = consoleAsset(c.req.param("name"));
    if (!asset) return c.notFound();
    return c.body(new Uint8Array(asset.body), 200, {
      "content-type": asset.type,
      "cache-control": "public, max-age=3600",
    });
  })
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
  })
  .use(requireSession)
  .get("/", permit("view"), async (c) => {
    const { window: w, refused } = await pageWindow(c, HOUR);
    if (refused) return refused;
    const q = (c.req.query("q") ?? "").slice(0, 200);
    const { db, config } = c.var.deps;
    const filters = searchFiltersOf(c);
    const result = await agentSearch(
      db,
      { from: w.from, to: w.to, q, filters, limit: 50 },
      config.PHONE_DEFAULT_REGION as CountryCode,
    );
    return c.html(
      <SearchPage
        shell={await shell(c)}
        from={w.from}
        to={w.to}
        q={q}
        filters={filters}
        canExport={c.var.principal.permissions.has("export")}
        result={result}
        notice={w.note}
      />,
    );
  })
  .get("/customers/:id", permit("view"), async (c) => {
    const { db, clock } = c.var.deps;
    const id = c.req.param("id");
    const profile = await customerProfile(db, id, clock());
    if (!profile) return notFound(c, `No customer ${id}.`);
    if ("mergedInto" in profile) return c.redirect(`/console/customers/${encodeURIComponent(profile.mergedInto)}`, 302);

    const url = new URL(c.req.url);
    const bounds = { from: parseInstant(c.req.query("from")), to: parseInstant(c.req.query("to")) };
    // The timeline's optional bounds: a given one that is no date, or outside 1970–2100, is refused.
    for (const field of ["from", "to"] as const) {
      if (!c.req.query(field)?.trim()) continue;
      const d = bounds[field];
      if (!d) return badWindow(c, field, "is not a date and time, e.g. 2026-03-01T10:15");
      if (!instantInRange(d)) return badWindow(c, field, INSTANT_RANGE_MESSAGE);
    }
    const filters = {
      channels: channelsFrom(c),
      types: [...new Set(c.req.queries("type") ?? [])]
        .filter((t) => /^[a-z][a-z0-9_.-]{0,49}$/.test(t))
        .slice(0, MAX_TYPES),
      flaggedOnly: c.req.query("flagged") === "1",
      ...bounds,
    };
    const limit = 50;
    const timeline = await customerTimeline(db, id, {
      ...filters,
      cursor: pageCursor(c.req.query("cursor")),
      limit,
      order: "desc",
    });
    const details = await interactionDetails(
      db,
      timeline.items.filter((i) => i.kind === "interaction").map((i) => i.id),
    );
    const eventTypes = await eventTypesOf(db, id);
    const here = url.pathname + url.search;
    let olderHref: string | null = null;
    if (timeline.nextCursor) {
      const older = new URL(url);
      older.searchParams.set("cursor", timeline.nextCursor);
      olderHref = older.pathname + older.search;
    }
    return c.html(
      <CustomerPage
        shell={await shell(c)}
        profile={profile}
        sparkline={await sentimentSeries(db, id, clock())}
        liveMoment={(await liveMoments(db, [id])).get(id) ?? null}
        timeline={timeline}
        details={details}
        verdicts={
          await currentVerdictsBy(
            db,
            consoleActor(c).ref,
            timeline.items.filter((i) => i.kind !== "event").map((i) => i.id),
          )
        }
        filters={{ ...filters, types: filters.types.filter((t) => eventTypes.includes(t) || t === "moment") }}
        eventTypes={eventTypes}
        here={here}
        olderHref={olderHref}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .get("/moments", permit("view"), async (c) => {
    const moments = await liveMomentBoard(c.var.deps.db);
    const mine = await currentVerdictsBy(
      c.var.deps.db,
      consoleActor(c).ref,
      moments.map((m) => m.id),
    );
    return c.html(
      <MomentsPage
        shell={await shell(c)}
        moments={moments}
        verdicts={mine}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .get("/queue", permit("view"), async (c) => {
    const { db, ackTargets, clock } = c.var.deps;
    const viewParam = c.req.query("view");
    const view = (queueViews as readonly string[]).includes(viewParam ?? "") ? (viewParam as QueueView) : "unassigned";
    const channel = CHANNELS.has(c.req.query("channel") ?? "") ? String(c.req.query("channel")) : "";
    const reason = /^[a-z0-9_.-]{1,50}$/.test(c.req.query("reason") ?? "") ? String(c.req.query("reason")) : "";
    const me = personOf(c);
    const cursor = c.req.query("cursor");
    let page: Awaited<ReturnType<typeof queuePage>>;
    try {
      page = await queuePage(
        db,
        {
          view,
          channel: channel ? [channel] : undefined,
          reason: reason ? [reason] : undefined,
          cursor: cursor && cursor.length <= 500 ? cursor : undefined,
          limit: 50,
        },
        me,
        ackTargets,
        clock(),
      );
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return c.redirect(`/console/queue?view=${view}`, 303);
    }
    // Supervisors assign; the people to choose from are the teams' members and themselves.
    const supervisor = c.var.principal.permissions.has("assign");
    const teams = supervisor ? (await listTeams(db)).items : [];
    const people = new Map<string, Person>([[me.id, me]]);
    for (const t of teams) for (const m of t.members) people.set(m.id, m);
    const url = new URL(c.req.url);
    return c.html(
      <QueuePage
        shell={{ ...(await shell(c)) }}
        view={view}
        channel={channel}
        reason={reason}
        page={page}
        me={me}
        people={supervisor ? [...people.values()] : undefined}
        teams={teams.map((t) => t.name)}
        here={url.pathname + url.search}
        notice={c.req.query("notice")?.slice(0, 200)}
      />,
    );
  })
  .post("/queue/:id/:action{claim|ack|assign}", permit("act"), async (c) => {
    const form = await c.req.parseBody();
    const back = safeBack(form.back);
    const { deps } = c.var;
    const id = c.req.param("id");
    const me = personOf(c);
    let notice: string;
    try {
      const action = c.req.param("action");
      if (action === "claim") {
        await claimMoment(deps.db, id, me, deps.clock());
        notice = "Claimed: it is in your queue.";
      } else if (action === "ack") {
        await transitionMoment(deps.db, id, "acknowledged", me, deps.clock());
        notice = "Moment acknowledged.";
      } else {
        // The form is shown to supervisors only; a reader's post is told so, like any refused action.
        if (!c.var.principal.permissions.has("assign"))
          return backWithNotice(c, back, "Assigning moments needs a supervisor.");
        const personId = typeof form.person === "string" ? form.person : "";
        const team = typeof form.team === "string" && /^[a-z0-9][a-z0-9_-]{0,49}$/.test(form.team) ? form.team : null;
        const known = new Map<string, Person>([[me.id, me]]);
        for (const t of (await listTeams(deps.db)).items) for (const m of t.members) known.set(m.id, m);
        const person = personId ? known.get(personId) : null;
        if (person === undefined) notice = "Pick a person from the list.";
        else {
          const m = await assignMoment(deps.db, id, { person, team }, me, deps.clock());
          notice = m.assignee
            ? `Assigned to ${m.assignee.name}.`
            : m.team
              ? `Assigned to team ${m.team}.`
              : "Unassigned.";
        }
      }
      deps.deliveries?.nudge();
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      notice = e.message;
    }
    return backWithNotice(c, back, notice);
  })
  // Links from alerts (Slack, Teams) name a moment; it is shown on its customer's page.
  .get("/moments/:id", permit("view"), async (c) => {
    const { db } = c.var.deps;
    let m: Awaited<ReturnType<typeof getMoment>>;
    try {
      m = await getMoment(db, c.req.param("id"));
      if (m.mergedInto) m = await getMoment(db, m.mergedInto);
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") return notFound(c, `No moment ${c.req.param("id")}.`);
      throw e;
    }
    return c.redirect(`/console/customers/${encodeURIComponent(m.customerId)}#item-${m.id}`, 302);
  })
  .post("/moments/:id/:action{ack|resolve}", permit("act"), async (c) => {
    const form = await c.req.parseBody();
    const back = safeBack(form.back);
    const { deps } = c.var;
    const to = c.req.param("action") === "ack" ? "acknowledged" : "resolved";
    let notice: string;
    try {
      await transitionMoment(deps.db, c.req.param("id"), to, personOf(c), deps.clock());
      deps.deliveries?.nudge();
      notice = `Moment ${to}.`;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      notice = e.message;
    }
    return backWithNotice(c, back, notice);
  })
  .post("/:kind{moments|interactions}/:id/verdict", permit("act"), async (c) => {
    const form = await c.req.parseBody();
    const back = safeBack(form.back);
    const { deps } = c.var;
    const parsed = verdictInputSchema.safeParse({
      verdict: form.verdict,
      ...(typeof form.reason === "string" && form.reason ? { reason: form.reason } : {}),
    });
    if (!parsed.success) return backWithNotice(c, back, "Pick right, false alarm or missed.");
    const kind = c.req.param("kind") === "moments" ? "moment" : "interaction";
    let notice: string;
    try {
      await recordVerdict(
        deps.db,
        { kind, id: c.req.param("id") },
        parsed.data,
        consoleActor(c),
        deps.clock(),
        deps.maskRules,
      );
      notice = `Verdict recorded: ${verdictLabel[parsed.data.verdict].toLowerCase()}.`;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      notice = e.fields[0] ? `${e.message} The ${e.fields[0].field} ${e.fields[0].message}.` : e.message;
    }
    return backWithNotice(c, back, notice);
  })
  .get("/dashboard", permit("view"), async (c) => {
    const { window: w, refused } = await pageWindow(c, 30 * DAY);
    if (refused) return refused;
    const channels = channelsFrom(c);
    const data = await c.var.deps.dashboards.run({ from: w.from, to: w.to, channels });
    // Today (UTC) whatever the window: what the team should read or route today.
    const now = c.var.deps.clock();
    const today = await notAnalysedCounts(c.var.deps.db, { from: startOfUtcDay(now), to: now, channels });
    return c.html(
      <DashboardPage
        shell={await shell(c)}
        from={w.from}
        to={w.to}
        channels={channels}
        data={data}
        notAnalysedToday={today}
        notice={w.note}
      />,
    );
  })
  .get("/quality", permit("review"), async (c) => {
    const { window: w, refused } = await pageWindow(c, 90 * DAY);
    if (refused) return refused;
    const data = await qualityReport(c.var.deps.db, { from: w.from, to: w.to }, c.var.deps.flagThresholds());
    return c.html(<QualityPage shell={await shell(c)} from={w.from} to={w.to} data={data} notice={w.note} />);
  })
  .get("/live", permit("view"), (c) => streamMomentEvents(c))
  .get("/live/count", permit("view"), async (c) => c.json({ open: await openMomentCount(c.var.deps.db) }))
  // What the live panel shows of a new moment: the customer, the channel, a masked excerpt, the top reason.
  .get("/live/moments/:id", permit("view"), async (c) => {
    const { db } = c.var.deps;
    let m: Awaited<ReturnType<typeof getMoment>>;
    try {
      m = await getMoment(db, c.req.param("id"));
    } catch (e) {
      if (e instanceof DomainError && e.code === "not_found") return c.json({ error: "not found" }, 404);
      throw e;
    }
    const alert = await momentAlert(
      db,
      { type: "moment.flagged", data: m as unknown as Record<string, never> },
      { consoleUrl: "", pii: c.var.deps.piiRules, fullLabel: true },
    );
    return c.json({
      id: m.id,
      severity: m.severity,
      status: m.status,
      customer: alert.customer,
      channel: alert.channel,
      excerpt: alert.excerpt,
      reason: alert.reasons[0] ?? null,
      href: `/console/moments/${encodeURIComponent(m.id)}`,
    });
  });
