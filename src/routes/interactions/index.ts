import { decodeCursor } from "../../lib/cursor.js";
import { searchInteractions } from "../../services/interaction-search.js";
import { readInteraction } from "../../services/records.js";
import { createRouter } from "../openapi.js";
import { respondBatch, respondCreated } from "../record-routes.js";
import { recordVerdict } from "../../services/verdicts/record.js";
import { apiActor } from "../verdicts/index.js";
import { giveVerdict } from "../verdicts/routes.js";
import { createBatch, createOne, exportCsv, getOne, getThread, search } from "./routes.js";
import { planInteractionExport } from "../../services/exports/interactions.js";
import { respondCsv } from "../csv-export.js";
import { threadOf } from "../../services/email-threads.js";

/** Default window when none is given: the 24 hours before now. */
const DEFAULT_WINDOW_MS = 86_400_000;

/** A query's window, with the defaults filled in. */
function windowOf(q: { from?: Date; to?: Date }, now: Date) {
  const to = q.to ?? (q.from ? new Date(q.from.getTime() + DEFAULT_WINDOW_MS) : now);
  return { from: q.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS), to };
}

export const interactionRoutes = (batchMaxItems: number) =>
  createRouter()
    .openapi(search, async (c) => {
      const q = c.req.valid("query");
      const window = windowOf(q, c.var.deps.clock());
      return c.json(await searchInteractions(c.var.deps.db, { ...q, ...window, cursor: decodeCursor(q.cursor) }), 200);
    })
    // Before /{id}: "export" is a path, not an interaction id.
    .openapi(exportCsv, async (c) => {
      const { limit, ...q } = c.req.valid("query");
      const filters = { ...q, ...windowOf(q, c.var.deps.clock()) };
      const plan = await planInteractionExport(c.var.deps.db, { ...filters, cursor: decodeCursor(q.cursor) }, limit);
      return respondCsv(c, "interactions", filters, plan);
    })
    .openapi(createOne, async (c) =>
      respondCreated(c, "/v1/interactions", await c.var.deps.ingest.ingestOne("interaction", c.req.valid("json"))),
    )
    .openapi(createBatch(batchMaxItems), async (c) =>
      respondBatch(c, await c.var.deps.ingest.ingestMany("interaction", c.req.valid("json").items)),
    )
    .openapi(getOne, async (c) => c.json(await readInteraction(c.var.deps.db, c.req.valid("param").id), 200))
    .openapi(getThread, async (c) => c.json(await threadOf(c.var.deps.db, c.req.valid("param").id), 200))
    .openapi(giveVerdict("interaction"), async (c) => {
      const { db, clock, maskRules } = c.var.deps;
      return c.json(
        await recordVerdict(
          db,
          { kind: "interaction", id: c.req.valid("param").id },
          c.req.valid("json"),
          apiActor(c),
          clock(),
          maskRules,
        ),
        201,
      );
    });
