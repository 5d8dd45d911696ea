import type { Context } from "hono";
import type { AppEnv } from "../../app-env.js";
import { decodeCursor } from "../../lib/cursor.js";
import { actorOf } from "../../services/people/principal.js";
import type { VerdictActor } from "../../services/verdicts/record.js";
import { listVerdicts } from "../../services/verdicts/views.js";
import { createRouter } from "../openapi.js";
import { list } from "./routes.js";

const DEFAULT_WINDOW_MS = 30 * 86_400_000;

/** Who is behind the request (a person's session or a system's key), as a verdict records them. */
export const apiActor = (c: Context<AppEnv>): VerdictActor => ({ ...actorOf(c.var.principal), via: "api" });

export const verdictRoutes = createRouter().openapi(list, async (c) => {
  const q = c.req.valid("query");
  const to = q.to ?? (q.from ? new Date(q.from.getTime() + DEFAULT_WINDOW_MS) : c.var.deps.clock());
  const from = q.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
  return c.json(await listVerdicts(c.var.deps.db, { ...q, from, to, cursor: decodeCursor(q.cursor) }), 200);
});
