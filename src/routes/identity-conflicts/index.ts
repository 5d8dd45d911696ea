import { decodeCursor } from "../../lib/cursor.js";
import { dismissConflict, listConflicts } from "../../services/identity/conflicts.js";
import { createRouter } from "../openapi.js";
import { personOf } from "../person.js";
import { dismiss, list } from "./routes.js";

export const identityConflictRoutes = createRouter()
  .openapi(list, async (c) => {
    const q = c.req.valid("query");
    return c.json(await listConflicts(c.var.deps.db, { ...q, cursor: decodeCursor(q.cursor) }), 200);
  })
  .openapi(dismiss, async (c) => {
    const { db, clock } = c.var.deps;
    return c.json(await dismissConflict(db, c.req.valid("param").id, personOf(c), clock()), 200);
  });
