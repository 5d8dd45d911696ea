import { Hono } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../../app-env.js";
import { journeyEvents } from "../../db/schema/index.js";
import { ApiError, zodFieldErrors } from "../../lib/problem.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { requireScope } from "../../middleware/auth.js";
import { readJsonBody } from "../../middleware/json-body.js";
import { batchEnvelope, batchResponse, createdResponse } from "../common-schemas.js";
import { respondBatch, respondCreated } from "../ingest-responses.js";
import { eventInputSchema } from "./schemas.js";

export const eventRoutes = new Hono<AppEnv>()
  .post("/", requireScope("ingest"), async (c) => {
    const { config, ingest } = c.var.deps;
    const body = await readJsonBody(c, config.BODY_LIMIT_BYTES);
    return respondCreated(c, "/v1/events", await ingest.ingestOne("event", body));
  })
  .post("/batch", requireScope("ingest"), async (c) => {
    const { config, ingest } = c.var.deps;
    const body = await readJsonBody(c, config.BODY_LIMIT_BYTES);
    const envelope = batchEnvelope(config.BATCH_MAX_ITEMS).safeParse(body);
    if (!envelope.success) throw new ApiError("validation_failed", "The batch is invalid.", zodFieldErrors(envelope.error));
    return respondBatch(c, await ingest.ingestMany("event", envelope.data.items));
  })
  .get("/:id", requireScope("read"), async (c) => {
    const [row] = await c.var.deps.db.select().from(journeyEvents).where(eq(journeyEvents.id, c.req.param("id")));
    if (!row) throw new ApiError("not_found", `No event ${c.req.param("id")}.`);
    return c.json(row);
  });

export const eventOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/events",
    summary: "Ingest one journey event (login, page view, transaction, error, service event, ...)",
    description: "Idempotent on (source, externalId).",
    tags: ["ingest"],
    scope: "ingest",
    request: eventInputSchema,
    responses: {
      201: { description: "Created", schema: createdResponse },
      200: { description: "Already stored", schema: createdResponse },
      422: { description: "Invalid fields, each named" },
    },
  },
  {
    method: "post",
    path: "/v1/events/batch",
    summary: "Ingest up to 1,000 journey events",
    tags: ["ingest"],
    scope: "ingest",
    request: batchEnvelope(1000),
    responses: { 200: { description: "Per-item results", schema: batchResponse } },
  },
  {
    method: "get",
    path: "/v1/events/{id}",
    summary: "Read one stored journey event",
    tags: ["read"],
    scope: "read",
    responses: { 200: { description: "The event" }, 404: { description: "Unknown id" } },
  },
];
