import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { INSTANT_RANGE_MESSAGE, instantInRange } from "../lib/time-window.js";
import { eventTypesOf, interactionDetails, sentimentSeries } from "../services/customers/details.js";
import { customerProfile } from "../services/customers/profile.js";
import { customerTimeline } from "../services/customers/timeline.js";
import { liveMoments } from "../services/moments/views.js";
import { currentVerdictsBy } from "../services/verdicts/views.js";
import { parseInstant } from "./format.js";
import { badWindow, channelsFrom, consoleActor, notFound, pageCursor, shell } from "./page-context.js";
import { CustomerPage } from "./pages/customer.js";
import { permit } from "./session.js";

/** As many event types as the API's `types` list takes. */
const MAX_TYPES = 20;

/** A customer's page: profile, live moment and the timeline, filtered and paged (a merged customer redirects to the survivor). */
export const customerRoutes = new Hono<AppEnv>().get("/customers/:id", permit("view"), async (c) => {
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
});
