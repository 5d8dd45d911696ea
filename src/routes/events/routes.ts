import { createRoute } from "@hono/zod-openapi";
import { eventInputSchema } from "../../contracts/events.js";
import { batchEnvelope, batchResponse, createdResponse, storedEvent } from "../../contracts/records.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

const tags = ["events"];

export const createOne = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Ingest one journey event (login, page view, transaction, error, service event, ...)",
  description:
    "Idempotent on (source, externalId): posting the same body again answers 200 with the original id; another body under the same pair answers 409 and changes nothing.",
  ...secured("ingest", { body: "event" }),
  request: { body: jsonBody(eventInputSchema) },
  responses: {
    201: json(createdResponse, "Created (Location names the new record)"),
    200: json(createdResponse, "Already stored (same source and externalId)"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(409, 503),
  },
});

export const createBatch = (maxItems: number) =>
  createRoute({
    method: "post",
    path: "/batch",
    tags,
    summary: `Ingest up to ${maxItems.toLocaleString("en")} journey events`,
    description:
      "Each item gets its own result, in order: 201, 200 (already stored, same content), 409 (already stored with other content) or 422, with its problem.",
    ...secured("ingest", { body: "batch" }),
    request: { body: jsonBody(batchEnvelope(maxItems, "JourneyEventInput")) },
    responses: { 200: json(batchResponse, "Per-item results"), ...keyProblems, ...bodyProblems, ...problems(503) },
  });

export const getOne = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "Read one stored journey event",
  ...secured("view"),
  request: { params: idParams("The event's id") },
  responses: { 200: json(storedEvent, "The event"), ...keyProblems, ...problems(404, 503) },
});
