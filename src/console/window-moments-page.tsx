import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { windowMoments } from "../services/moments/window-moments.js";
import { actorOf } from "../services/people/principal.js";
import { currentVerdictsBy } from "../services/verdicts/views.js";
import { momentFiltersOf, momentsHref } from "./moment-filters.js";
import { DAY, pageCursor, pageWindow, shell } from "./page-context.js";
import { MomentsPage } from "./pages/moments.js";

/**
 * `/console/moments?from=…&to=…&severity=…&channel=…`: the moments a dashboard cell or bar counts
 * (src/console/drill-down.ts), a page of them, newest first, with the count of all. The window is the
 * dashboard's (30 days unless given) and is refused, or shortened, as the dashboard's is; `cursor`
 * pages on through them (an invalid one starts again from the newest).
 */
export async function windowMomentsPage(c: Context<AppEnv>) {
  const { window: w, refused } = await pageWindow(c, 30 * DAY);
  if (refused) return refused;
  const f = momentFiltersOf(c);
  const { db } = c.var.deps;
  const rawCursor = c.req.query("cursor");
  const cursor = pageCursor(rawCursor);
  const { items, total, before, nextCursor } = await windowMoments(
    db,
    { from: w.from, to: w.to, channels: f.channel, severities: f.severity },
    { cursor },
  );
  const mine = await currentVerdictsBy(
    db,
    actorOf(c.var.principal).ref,
    items.map((m) => m.id),
  );
  const notice = [w.note, c.req.query("notice")?.slice(0, 200)].filter(Boolean).join(" ");
  return c.html(
    <MomentsPage
      shell={await shell(c)}
      moments={items}
      verdicts={mine}
      notice={notice || undefined}
      window={{
        ...w,
        ...f,
        total,
        before,
        here: momentsHref(w, f, cursor ? rawCursor : null),
        first: cursor ? momentsHref(w, f) : null,
        next: nextCursor ? momentsHref(w, f, nextCursor) : null,
      }}
    />,
  );
}
