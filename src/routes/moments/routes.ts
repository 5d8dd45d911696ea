import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { momentPage, momentSchema } from "../../contracts/moments.js";
import { momentStatuses, severities } from "../../db/schema/index.js";
import { idParams, json, keyProblems, problems, secured } from "../openapi.js";
import { csvResponse } from "../csv-export.js";
import { EXPORT_MAX_ROWS } from "../../services/exports/limits.js";
import { queueFields } from "./work-routes.js";
import { csv, cursorParam, queryInstant, queryLimit, windowRule } from "../query.js";

const tags = ["moments"];
const params = idParams("The moment's id");

const listFields = {
  status: csv(z.enum(momentStatuses, "must be open, acknowledged, resolved or closed")).optional(),
  severity: csv(z.enum(severities, "must be low, medium, high or critical")).optional(),
  customerId: z.string().max(100).optional(),
  from: queryInstant.optional().meta({ description: "Moments created at or after this instant (1970–2100)." }),
  to: queryInstant.optional().meta({ description: "Moments created before this instant (1970–2100)." }),
  cursor: cursorParam,
};

export const listQuery = z.object({ ...listFields, limit: queryLimit(200, 50) }).superRefine(windowRule());

const exportLimit = queryLimit(EXPORT_MAX_ROWS, EXPORT_MAX_ROWS).meta({
  description: `Rows in this export: at most ${EXPORT_MAX_ROWS.toLocaleString("en")} (the default).`,
});

export const exportCsv = createRoute({
  method: "get",
  path: "/export",
  tags,
  summary: "Export moments as CSV, newest first",
  description: "The list's filters. Audited (who, filters, rows).",
  ...secured("export"),
  request: { query: z.object({ ...listFields, limit: exportLimit }).superRefine(windowRule()) },
  responses: { 200: csvResponse("The moments"), ...keyProblems, ...problems(422, 503) },
});

export const exportQueueCsv = createRoute({
  method: "get",
  path: "/queue/export",
  tags,
  summary: "Export a queue view as CSV, in queue order, with each moment's acknowledgement target",
  description: "The queue's filters. Audited (who, filters, rows).",
  ...secured("export"),
  request: { query: z.object({ ...queueFields, limit: exportLimit }) },
  responses: { 200: csvResponse("The queue's moments"), ...keyProblems, ...problems(422, 503) },
});

export const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Complaint-risk moments, newest first",
  ...secured("view"),
  request: { query: listQuery },
  responses: {
    200: json(momentPage, "A page of moments with reasons linked to their interactions and events"),
    ...keyProblems,
    ...problems(422, 503),
  },
});

export const stream = createRoute({
  method: "get",
  path: "/stream",
  tags,
  summary:
    "Live moments as Server-Sent Events (moment.flagged, moment.escalated, moment.acknowledged, moment.assigned, moment.snoozed, moment.closed, moment.reopened, moment.resolved); resumes after Last-Event-ID",
  ...secured("view"),
  request: {
    headers: z.object({
      "last-event-id": z
        .string()
        .optional()
        .meta({ description: "The last event id seen; the stream resumes after it." }),
    }),
  },
  responses: {
    200: {
      description: "An event stream: `id` is the event's sequence number, `event` its type, `data` the moment as JSON",
      content: { "text/event-stream": { schema: z.string() } },
    },
    ...keyProblems,
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One moment",
  ...secured("view"),
  request: { params },
  responses: { 200: json(momentSchema, "The moment"), ...keyProblems, ...problems(404, 503) },
});

const transition = (path: string, summary: string) =>
  createRoute({
    method: "post",
    path,
    tags,
    summary,
    ...secured("act"),
    request: { params },
    responses: {
      200: json(momentSchema, "The moment"),
      ...keyProblems,
      ...problems(404, 503),
      409: { ...problems(409)[409], description: "Already resolved, or (to acknowledge) closed" },
    },
  });

export const ack = transition("/{id}/ack", "Acknowledge a moment (records who and when)");
export const resolve = transition("/{id}/resolve", "Resolve a moment (records who and when)");
