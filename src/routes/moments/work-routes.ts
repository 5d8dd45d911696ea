import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { momentSchema } from "../../contracts/moments.js";
import { ackReportSchema, assignSchema, queuePageSchema, snoozeSchema, teamName } from "../../contracts/work.js";
import { queueViews } from "../../services/moments/queue-view.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";
import { csv, cursorParam, queryBool, queryInstant, queryLimit, windowRule } from "../query.js";

const tags = ["moments"];
const params = idParams("The moment's id");
const code = z.string().regex(/^[a-z0-9_.-]{1,50}$/, "must be a code such as chat or failed_before_contact");

/** A queue's filters: the view, and what its moments' interactions came on, needed or were flagged for. */
export const queueFields = {
  view: z.enum(queueViews, `must be one of ${queueViews.join(", ")}`).default("all"),
  channel: csv(code).optional(),
  need: csv(code).optional(),
  reason: csv(code).optional(),
  team: teamName.optional(),
  includeSnoozed: queryBool.optional(),
  cursor: cursorParam,
};

export const queue = createRoute({
  method: "get",
  path: "/queue",
  tags,
  summary: "A work queue: live moments, most severe first, then the longest waiting",
  description:
    "`mine`: held by the caller; `team`: in the caller's teams (or `team`); `unassigned`: held by no person; `all`: every live moment. Snoozed moments are left out until their snooze ends.",
  ...secured("view"),
  request: { query: z.object({ ...queueFields, limit: queryLimit(100, 25) }) },
  responses: {
    200: json(queuePageSchema, "A page of the queue, with the view's size and breaches"),
    ...keyProblems,
    ...problems(422, 503),
  },
});

export const ackTimes = createRoute({
  method: "get",
  path: "/ack-times",
  tags,
  summary: "Time to acknowledge against the target, per severity, for the moments opened in a window",
  ...secured("review"),
  request: {
    query: z
      .object({
        from: queryInstant.optional().meta({ description: "Default: 30 days before `to`." }),
        to: queryInstant.optional().meta({ description: "Default: now." }),
      })
      .superRefine(windowRule({ maxSpan: true })),
  },
  responses: { 200: json(ackReportSchema, "Counts and means per severity"), ...keyProblems, ...problems(422, 503) },
});

const live = { ...problems(409)[409], description: "The moment is resolved or closed, or held by another person" };

export const claim = createRoute({
  method: "post",
  path: "/{id}/claim",
  tags,
  summary: "Take a moment for oneself (refused while another person holds it)",
  ...secured("act"),
  request: { params },
  responses: { 200: json(momentSchema, "The moment"), ...keyProblems, ...problems(404, 503), 409: live },
});

export const assign = createRoute({
  method: "post",
  path: "/{id}/assign",
  tags,
  summary: "Give a moment to a person or a team (sends moment.assigned)",
  ...secured("assign", { body: "assignment" }),
  request: { params, body: jsonBody(assignSchema) },
  responses: {
    200: json(momentSchema, "The moment"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(404, 503),
    409: live,
  },
});

export const snooze = createRoute({
  method: "post",
  path: "/{id}/snooze",
  tags,
  summary: "Hide a moment from the queue until a time (a new signal wakes it)",
  ...secured("act", { body: "snooze" }),
  request: { params, body: jsonBody(snoozeSchema) },
  responses: {
    200: json(momentSchema, "The moment"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(404, 503),
    409: live,
  },
});
