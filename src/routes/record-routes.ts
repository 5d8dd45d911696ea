import { Hono, type Context } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../app-env.js";
import type { interactions, journeyEvents } from "../db/schema/index.js";
import { analysisFrom } from "../analysis/stored-form.js";
import { ApiError } from "../lib/problem.js";
import { requireScope } from "../middleware/auth.js";
import { readJsonBody, readValidBody } from "../middleware/json-body.js";
import type { ItemResult, RecordKind } from "../services/ingest/ingest-service.js";
import { batchEnvelope } from "./common-schemas.js";

/** 201 with a Location for a new record, 200 with the original for a repeat. */
function respondCreated(c: Context, base: string, r: ItemResult) {
  const body = { id: r.id!, customerId: r.customerId!, status: r.status === 201 ? "created" : "existing" };
  if (r.status === 201) c.header("location", `${base}/${r.id}`);
  return c.json(body, r.status === 201 ? 201 : 200);
}

function respondBatch(c: Context, results: ItemResult[]) {
  let created = 0;
  let existing = 0;
  for (const r of results) {
    if (r.status === 201) created++;
    else if (r.status === 200) existing++;
  }
  return c.json({ results, created, existing, failed: results.length - created - existing }, 200);
}

/**
 * POST one, POST a batch and GET by id: the same three endpoints for interactions and journey events,
 * which differ only in their schema (chosen by the ingest service) and their table.
 */
export function recordRoutes(kind: RecordKind, table: typeof interactions | typeof journeyEvents, base: string) {
  return new Hono<AppEnv>()
    .post("/", requireScope("ingest"), async (c) => {
      const body = await readJsonBody(c, c.var.deps.config.BODY_LIMIT_BYTES);
      return respondCreated(c, base, await c.var.deps.ingest.ingestOne(kind, body));
    })
    .post("/batch", requireScope("ingest"), async (c) => {
      const { items } = await readValidBody(c, batchEnvelope(c.var.deps.config.BATCH_MAX_ITEMS), "batch");
      return respondBatch(c, await c.var.deps.ingest.ingestMany(kind, items));
    })
    .get("/:id", requireScope("read"), async (c) => {
      const [row] = await c.var.deps.db.select().from(table as typeof interactions).where(eq(table.id, c.req.param("id")));
      if (!row) throw new ApiError("not_found", `No ${kind} ${c.req.param("id")}.`);
      // Need and topic id lists are kept for SQL filters; the analysis carries the same ids in full.
      const { needIds: _needs, topicIds: _topics, ...view } = row as typeof row & { needIds?: unknown; topicIds?: unknown };
      // The analysis is stored packed (src/analysis/stored-form.ts) and answered as the result it is.
      if (view.analysis) view.analysis = analysisFrom(view.analysis) as unknown as typeof view.analysis;
      return c.json(view);
    });
}
