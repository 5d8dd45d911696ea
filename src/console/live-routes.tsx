import { Hono } from "hono";
import type { AppEnv } from "../app-env.js";
import { DomainError } from "../lib/domain-error.js";
import { streamMomentEvents } from "../routes/moments/stream.js";
import { getMoment, openMomentCount } from "../services/moments/views.js";
import { momentAlert } from "../services/webhooks/alert-context.js";
import { permit } from "./session.js";

/** What every page's live panel reads: the moment stream, the open count, and a new moment's summary. */
export const liveRoutes = new Hono<AppEnv>()
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
