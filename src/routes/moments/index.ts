import { decodeCursor } from "../../lib/cursor.js";
import { transitionMoment } from "../../services/moments/lifecycle.js";
import { getMoment, listMoments } from "../../services/moments/views.js";
import { createRouter } from "../openapi.js";
import { recordVerdict } from "../../services/verdicts/record.js";
import { actorOf } from "../../services/people/principal.js";
import { apiActor } from "../verdicts/index.js";
import { giveVerdict } from "../verdicts/routes.js";
import { ack, getOne, list, resolve, stream } from "./routes.js";
import { streamMomentEvents } from "./stream.js";

export const momentRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listMoments(c.var.deps.db, { ...q, cursor: decodeCursor(q.cursor) }), 200);
  })
  .openapi(stream, (c) => streamMomentEvents(c))
  .openapi(getOne, async (c) => c.json(await getMoment(c.var.deps.db, c.req.valid("param").id), 200))
  .openapi(ack, async (c) => {
    const { db, clock } = c.var.deps;
    return c.json(
      await transitionMoment(db, c.req.valid("param").id, "acknowledged", actorOf(c.var.principal), clock()),
      200,
    );
  })
  .openapi(resolve, async (c) => {
    const { db, clock, deliveries } = c.var.deps;
    const result = await transitionMoment(db, c.req.valid("param").id, "resolved", actorOf(c.var.principal), clock());
    deliveries?.nudge();
    return c.json(result, 200);
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
