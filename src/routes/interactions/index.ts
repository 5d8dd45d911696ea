import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import { interactions } from "../../db/schema/index.js";
import { recordRoutes } from "../record-routes.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { requireScope } from "../../middleware/auth.js";
import { batchEnvelope, batchResponse, createdResponse } from "../common-schemas.js";
import { interactionInputSchema } from "./schemas.js";
import { z } from "zod";
import { decodeCursor } from "../../lib/cursor.js";
import { searchInteractions } from "../../services/interaction-search.js";
import { csv, parseQuery, queryBool, queryInstant, queryLimit, windowRule } from "../query.js";

const searchQuery = z
  .object({
    from: queryInstant.optional(),
    to: queryInstant.optional(),
    channel: csv(z.enum(["chat", "email", "call_note", "social"], "must be chat, email, call_note or social")).optional(),
    sentiment: csv(z.enum(["negative", "neutral", "positive"], "must be negative, neutral or positive")).optional(),
    topic: z.string().regex(/^[a-z_]+$/, "must be a topic id").optional(),
    need: z.string().regex(/^[a-z_]+$/, "must be a need id").optional(),
    flagged: queryBool.optional(),
    q: z.string().trim().min(1).max(200).optional(),
    cursor: z.string().max(500).optional(),
    limit: queryLimit(200, 50),
    order: z.enum(["asc", "desc"]).default("desc"),
  })
  .superRefine(windowRule({ maxSpan: true }));

/** Default window when none is given: the 24 hours before now. */
const DEFAULT_WINDOW_MS = 86_400_000;

export const interactionRoutes = new Hono<AppEnv>()
  .get("/", requireScope("read"), async (c) => {
    const q = parseQuery(searchQuery, c.req.query());
    const to = q.to ?? (q.from ? new Date(q.from.getTime() + DEFAULT_WINDOW_MS) : c.var.deps.clock());
    const from = q.from ?? new Date(to.getTime() - DEFAULT_WINDOW_MS);
    return c.json(await searchInteractions(c.var.deps.db, { ...q, from, to, cursor: decodeCursor(q.cursor) }));
  })
  .route("/", recordRoutes("interaction", interactions, "/v1/interactions"));

export const interactionOperations: Operation[] = [
  {
    method: "get",
    path: "/v1/interactions",
    summary: "Search interactions across customers in a time window",
    description:
      "from/to (ISO 8601, between 1970 and 2100, at most 731 days apart; default the 24 hours before now), channel and sentiment (comma-separated), topic, need, flagged, q (full text, every word must appear, stemmed), order asc|desc (default desc), cursor and limit.",
    tags: ["read"],
    scope: "read",
    query: searchQuery,
    responses: { 200: { description: "A page of interactions with their analysis summary" }, 422: { description: "Invalid query" } },
  },
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
