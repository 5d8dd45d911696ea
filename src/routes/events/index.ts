import { journeyEvents } from "../../db/schema/index.js";
import { recordRoutes } from "../record-routes.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { batchEnvelope, batchResponse, createdResponse } from "../common-schemas.js";
import { eventInputSchema } from "./schemas.js";

export const eventRoutes = recordRoutes("event", journeyEvents, "/v1/events");

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
