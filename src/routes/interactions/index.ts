import { Hono } from "hono";
import { eq } from "drizzle-orm";
import type { AppEnv } from "../../app-env.js";
import { interactions } from "../../db/schema/index.js";
import { ApiError, zodFieldErrors } from "../../lib/problem.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { requireScope } from "../../middleware/auth.js";
import { readJsonBody } from "../../middleware/json-body.js";
import { batchEnvelope, batchResponse, createdResponse } from "../common-schemas.js";
import { interactionInputSchema } from "./schemas.js";
import { respondBatch, respondCreated } from "../ingest-responses.js";

export const interactionRoutes = new Hono<AppEnv>()
  .post("/", requireScope("ingest"), async (c) => {
    const { config, ingest } = c.var.deps;
    const body = await readJsonBody(c, config.BODY_LIMIT_BYTES);
    return respondCreated(c, "/v1/interactions", await ingest.ingestOne("interaction", body));
  })
  .post("/batch", requireScope("ingest"), async (c) => {
    const { config, ingest } = c.var.deps;
    const body = await readJsonBody(c, config.BODY_LIMIT_BYTES);
    const envelope = batchEnvelope(config.BATCH_MAX_ITEMS).safeParse(body);
    if (!envelope.success) throw new ApiError("validation_failed", "The batch is invalid.", zodFieldErrors(envelope.error));
    return respondBatch(c, await ingest.ingestMany("interaction", envelope.data.items));
  })
  .get("/:id", requireScope("read"), async (c) => {
    const [row] = await c.var.deps.db.select().from(interactions).where(eq(interactions.id, c.req.param("id")));
    if (!row) throw new ApiError("not_found", `No interaction ${c.req.param("id")}.`);
    return c.json(row);
  });

export const interactionOperations: Operation[] = [
  {
    method: "post",
    path: "/v1/interactions",
    summary: "Ingest one interaction (chat, email, call note or social post)",
    description: "Idempotent on (source, externalId): posting the same pair again answers 200 with the original id.",
    tags: ["ingest"],
    scope: "ingest",
    request: interactionInputSchema,
    responses: {
      201: { description: "Created and analysed", schema: createdResponse },
      200: { description: "Already stored (same source and externalId)", schema: createdResponse },
      422: { description: "Invalid fields, each named" },
    },
  },
  {
    method: "post",
    path: "/v1/interactions/batch",
    summary: "Ingest up to 1,000 interactions",
    description: "Each item gets its own result, in order: 201, 200 (already stored) or 422 with its problem.",
    tags: ["ingest"],
    scope: "ingest",
    request: batchEnvelope(1000),
    responses: { 200: { description: "Per-item results", schema: batchResponse } },
  },
  {
    method: "get",
    path: "/v1/interactions/{id}",
    summary: "Read one stored interaction with its analysis",
    tags: ["read"],
    scope: "read",
    responses: { 200: { description: "The interaction" }, 404: { description: "Unknown id" } },
  },
];
