import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { DomainError } from "../lib/domain-error.js";
import { personOf } from "../routes/person.js";
import { transitionMoment } from "../services/moments/lifecycle.js";
import { getMoment, liveMomentBoard } from "../services/moments/views.js";
import { currentVerdictsBy } from "../services/verdicts/views.js";
import { asksForWindow } from "./moment-filters.js";
import { backWithNotice, consoleActor, notFound, shell } from "./page-context.js";
import { MomentsPage } from "./pages/moments.js";
import { permit, safeBack } from "./session.js";
import { windowMomentsPage } from "./window-moments-page.js";

/** The moments page (the live board, or a dashboard window's moments), a moment's link, and acknowledging or resolving one. */
export const momentRoutes = new Hono<AppEnv>()
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
  });
