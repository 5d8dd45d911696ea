import { Hono, type Context, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import { csrf } from "hono/csrf";
import type { CountryCode } from "libphonenumber-js";
import type { AppEnv } from "../app-env.js";
import { DomainError } from "../lib/domain-error.js";
import { ApiError } from "../lib/problem.js";
import { INSTANT_RANGE_MESSAGE, instantInRange } from "../lib/time-window.js";
import { verdictInputSchema } from "../contracts/verdicts.js";
import { streamMomentEvents } from "../routes/moments/stream.js";
import { personOf } from "../routes/person.js";
import { agentSearch } from "../services/agent-search.js";
import { eventTypesOf, interactionDetails, sentimentSeries } from "../services/customers/details.js";
import { customerProfile } from "../services/customers/profile.js";
import { customerTimeline } from "../services/customers/timeline.js";
import { notAnalysedCounts } from "../services/language-counts.js";
import { transitionMoment } from "../services/moments/lifecycle.js";
import { getMoment, liveMomentBoard, liveMoments, openMomentCount } from "../services/moments/views.js";
import { agentReport } from "../services/people/agent-report.js";
import { actorOf } from "../services/people/principal.js";
import { momentAlert } from "../services/webhooks/alert-context.js";
import { qualityReport } from "../services/verdicts/quality.js";
import { recordVerdict } from "../services/verdicts/record.js";
import { currentVerdictsBy } from "../services/verdicts/views.js";
import { consoleAsset } from "./assets.js";
import { parseInstant } from "./format.js";
import {
  backWithNotice,
  badWindow,
  CHANNELS,
  DAY,
  HOUR,
  notFound,
  pageCursor,
  pageWindow,
  shell,
} from "./page-context.js";
import { AgentsPage } from "./pages/agents.js";
import { CustomerPage } from "./pages/customer.js";
import { DashboardPage } from "./pages/dashboard.js";
import { MomentsPage } from "./pages/moments.js";
import { QualityPage } from "./pages/quality.js";
import { SearchPage } from "./pages/search.js";
import { queueRoutes } from "./queue-routes.js";
import { permit, requireSession, safeBack } from "./session.js";
import { signInRoutes } from "./sign-in-routes.js";
import { verdictLabel } from "./verdict-form.js";
import { searchFiltersOf } from "./search-filters.js";
import { windowMomentsPage } from "./window-moments-page.js";
import { asksForWindow } from "./moment-filters.js";

/**
 * Scripts and styles come only from this origin; nothing inline runs. Data for the charts travels in
 * a JSON script block, which the browser never executes.
 */
const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const startOfUtcDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

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
/** The signed-in person, as a verdict records them. */
const consoleActor = (c: Context<AppEnv>) => ({ ...actorOf(c.var.principal), via: "console" as const });

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
  .route("/", signInRoutes)
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
    if (asksForWindow(c)) return windowMomentsPage(c);
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
  .route("/", queueRoutes)
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
  .get("/agents", permit("review"), async (c) => {
    const { window: w, refused } = await pageWindow(c, 30 * DAY);
    if (refused) return refused;
    const data = await agentReport(c.var.deps.db, c.var.deps.ackTargets, { from: w.from, to: w.to });
    return c.html(<AgentsPage shell={await shell(c)} from={w.from} to={w.to} data={data} notice={w.note} />);
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
