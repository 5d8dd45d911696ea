import { decodeCursor } from "../../lib/cursor.js";
import { transitionMoment } from "../../services/moments/lifecycle.js";
import { ackReport } from "../../services/moments/ack-targets.js";
import { queuePage } from "../../services/moments/queue-view.js";
import { getMoment, listMoments } from "../../services/moments/views.js";
import { assignMoment, claimMoment, snoozeMoment } from "../../services/moments/work.js";
import { createRouter } from "../openapi.js";
import { personOf } from "../person.js";
import { recordVerdict } from "../../services/verdicts/record.js";
import { apiActor } from "../verdicts/index.js";
import { giveVerdict } from "../verdicts/routes.js";
import { ack, exportCsv, exportQueueCsv, getOne, list, resolve, stream } from "./routes.js";
import { planMomentExport, planQueueExport } from "../../services/exports/moments.js";
import { respondCsv } from "../csv-export.js";
import { ackTimes, assign, claim, queue, snooze } from "./work-routes.js";
import { streamMomentEvents } from "./stream.js";

const DEFAULT_WINDOW_MS = 30 * 86_400_000;

export const momentRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listMoments(c.var.deps.db, { ...q, cursor: decodeCursor(q.cursor) }), 200);
  })
  // Before /{id}: "export" is a path, not a moment id.
  .openapi(exportCsv, async (c) => {
    const { limit, ...q } = c.req.valid("query");
    const plan = await planMomentExport(c.var.deps.db, { ...q, cursor: decodeCursor(q.cursor) }, limit);
    return respondCsv(c, "moments", q, plan);
  })
  .openapi(exportQueueCsv, async (c) => {
    const { db, ackTargets, clock } = c.var.deps;
    const { limit, ...q } = c.req.valid("query");
    return respondCsv(c, "queue", q, await planQueueExport(db, q, personOf(c), ackTargets, clock(), limit));
  })
  .openapi(stream, (c) => streamMomentEvents(c))
  .openapi(queue, async (c) => {
    const { db, ackTargets, clock } = c.var.deps;
    return c.json(await queuePage(db, c.req.valid("query"), personOf(c), ackTargets, clock()), 200);
  })
  .openapi(ackTimes, async (c) => {
    const { db, ackTargets, clock } = c.var.deps;
    const q = c.req.valid("query");
    const to = q.to ?? (q.from ? new Date(q.from.getTime() + DEFAULT_WINDOW_MS) : clock());
    const from = q.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
    return c.json(await ackReport(db, ackTargets, { from, to }, clock()), 200);
  })
  .openapi(getOne, async (c) => c.json(await getMoment(c.var.deps.db, c.req.valid("param").id), 200))
  .openapi(ack, async (c) => {
    const { db, clock, deliveries } = c.var.deps;
    const result = await transitionMoment(db, c.req.valid("param").id, "acknowledged", personOf(c), clock());
    deliveries?.nudge();
    return c.json(result, 200);
  })
  .openapi(resolve, async (c) => {
    const { db, clock, deliveries } = c.var.deps;
    const result = await transitionMoment(db, c.req.valid("param").id, "resolved", personOf(c), clock());
    deliveries?.nudge();
    return c.json(result, 200);
  })
  .openapi(claim, async (c) => {
    const { db, clock, deliveries } = c.var.deps;
    const result = await claimMoment(db, c.req.valid("param").id, personOf(c), clock());
    deliveries?.nudge();
    return c.json(result, 200);
  })
  .openapi(assign, async (c) => {
    const { db, clock, deliveries } = c.var.deps;
    const result = await assignMoment(db, c.req.valid("param").id, c.req.valid("json"), personOf(c), clock());
    deliveries?.nudge();
    return c.json(result, 200);
  })
  .openapi(snooze, async (c) => {
    const { db, clock } = c.var.deps;
    return c.json(
      await snoozeMoment(db, c.req.valid("param").id, c.req.valid("json").until, personOf(c), clock()),
      200,
    );
  })
  .openapi(giveVerdict("moment"), async (c) => {
    const { db, clock, maskRules } = c.var.deps;
    return c.json(
      await recordVerdict(
        db,
        { kind: "moment", id: c.req.valid("param").id },
        c.req.valid("json"),
        apiActor(c),
        clock(),
        maskRules,
      ),
      201,
    );
  });
