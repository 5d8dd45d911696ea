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
import { verifyThrottled } from "../middleware/auth.js";
import { ApiError } from "../lib/problem.js";
import { agentSearch } from "../services/agent-search.js";
import { closeConsoleSession, openConsoleSession } from "../services/console-sessions.js";
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
import { MomentsPage } from "./pages/moments.js";
import { SearchPage } from "./pages/search.js";
import { QualityPage } from "./pages/quality.js";
import { qualityReport } from "../services/verdicts/quality.js";
import { SignInPage } from "./pages/sign-in.js";
import { requireSession, safeBack, SESSION_COOKIE } from "./session.js";
import { consoleWindow } from "./window.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const CHANNELS = new Set(["chat", "email", "call_note", "social"]);

/**
 * Scripts and styles come only from this origin; nothing inline runs. Data for the charts travels in
 * a JSON script block, which the browser never executes.
 */
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

async function shell(c: Context<AppEnv>) {
  return { user: c.var.principal.name, openMoments: await openMomentCount(c.var.deps.db) };
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

/** The signed-in agent, as a verdict records them. */
const consoleActor = (c: Context<AppEnv>) => ({
  key: `key:${c.var.principal.id}`,
  name: c.var.principal.name,
  via: "console" as const,
});

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
  .get("/sign-in", (c) => c.html(<SignInPage next={safeBack(c.req.query("next"))} />))
  .post("/sign-in", async (c) => {
    const form = await c.req.parseBody();
    const next = safeBack(form.next);
    const key = typeof form.key === "string" ? form.key.trim() : "";
    const { deps } = c.var;
    const hours = deps.config.CONSOLE_SESSION_HOURS;
    let session: Awaited<ReturnType<typeof openConsoleSession>> = null;
    try {
      // The failed-authentication throttle counts sign-ins as it counts API requests.
      if (key)
        session = await openConsoleSession(
          deps.db,
          { verify: (k) => verifyThrottled(c, k, "console_sign_in") },
          key,
          hours * HOUR,
        );
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== "rate_limited") throw e;
      c.header("retry-after", e.headers!["retry-after"]);
      return c.html(<SignInPage error={e.message} next={next} />, 429);
    }
    if (!session || session === "forbidden") {
      const error =
        session === "forbidden"
          ? "This key cannot read: the console needs a key with the read scope."
          : "That API key is unknown or revoked.";
      return c.html(<SignInPage error={error} next={next} />, session === "forbidden" ? 403 : 401);
    }
    const secure = new URL(c.req.url).protocol === "https:" || c.req.header("x-forwarded-proto") === "https";
    setCookie(c, SESSION_COOKIE, session.token, {
      path: "/console",
      httpOnly: true,
      sameSite: "Strict",
      secure,
      expires: session.expiresAt,
      maxAge: Math.floor(hours * 3600),
    });
    deps.logger.info({ apiKeyId: session.apiKeyId }, "console sign-in");
    return c.redirect(next, 303);
  })
  .post("/sign-out", async (c) => {
    const token = getCookie(c, SESSION_COOKIE);
    if (token) await closeConsoleSession(c.var.deps.db, token);
    deleteCookie(c, SESSION_COOKIE, { path: "/console" });
    return c.redirect("/console/sign-in", 303);
  })
  .use(requireSession)
  .get("/", async (c) => {
    const { window: w, refused } = await pageWindow(c, HOUR);
    if (refused) return refused;
    const q = (c.req.query("q") ?? "").slice(0, 200);
    const { db, config } = c.var.deps;
    const result = await agentSearch(
      db,
      { from: w.from, to: w.to, q, limit: 50 },
      config.PHONE_DEFAULT_REGION as CountryCode,
    );
    return c.html(<SearchPage shell={await shell(c)} from={w.from} to={w.to} q={q} result={result} notice={w.note} />);
  })
  .get("/customers/:id", async (c) => {
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
            consoleActor(c).key,
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
  .get("/moments", async (c) => {
    const moments = await liveMomentBoard(c.var.deps.db);
    const mine = await currentVerdictsBy(
      c.var.deps.db,
      consoleActor(c).key,
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
  .get("/queue", async (c) => {
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
    // Supervisors (admin keys) assign; the people to choose from are the teams' members and themselves.
    const supervisor = c.var.principal.scopes.includes("admin");
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
  .post("/queue/:id/:action{claim|ack|assign}", async (c) => {
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
        if (!c.var.principal.scopes.includes("admin"))
          return backWithNotice(c, back, "Assigning moments needs a supervisor (a key with the admin scope).");
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
  .get("/moments/:id", async (c) => {
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
  .post("/moments/:id/:action{ack|resolve}", async (c) => {
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
  .post("/:kind{moments|interactions}/:id/verdict", async (c) => {
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
  .get("/dashboard", async (c) => {
    const { window: w, refused } = await pageWindow(c, 30 * DAY);
    if (refused) return refused;
    const channels = channelsFrom(c);
    const data = await c.var.deps.dashboards.run({ from: w.from, to: w.to, channels });
    return c.html(
      <DashboardPage shell={await shell(c)} from={w.from} to={w.to} channels={channels} data={data} notice={w.note} />,
    );
  })
  .get("/quality", async (c) => {
    const { window: w, refused } = await pageWindow(c, 90 * DAY);
    if (refused) return refused;
    const data = await qualityReport(c.var.deps.db, { from: w.from, to: w.to }, c.var.deps.flagThresholds());
    return c.html(<QualityPage shell={await shell(c)} from={w.from} to={w.to} data={data} notice={w.note} />);
  })
  .get("/live", (c) => streamMomentEvents(c))
  .get("/live/count", async (c) => c.json({ open: await openMomentCount(c.var.deps.db) }))
  // What the live panel shows of a new moment: the customer, the channel, a masked excerpt, the top reason.
  .get("/live/moments/:id", async (c) => {
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
