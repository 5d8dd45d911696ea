import { decodeCursor } from "../../lib/cursor.js";
import { transitionMoment } from "../../services/moments/lifecycle.js";
import { getMoment, listMoments } from "../../services/moments/views.js";
import { createRouter } from "../openapi.js";
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
    return c.json(await transitionMoment(db, c.req.valid("param").id, "acknowledged", `key:${c.var.principal.id}`, clock()), 200);
  })
  .openapi(resolve, async (c) => {
    const { db, clock, deliveries } = c.var.deps;
    const result = await transitionMoment(db, c.req.valid("param").id, "resolved", `key:${c.var.principal.id}`, clock());
    deliveries?.nudge();
    return c.json(result, 200);
  });
