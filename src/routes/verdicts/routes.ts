import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { verdictInputSchema, verdictPage, verdictSchema } from "../../contracts/verdicts.js";
import { verdictSubjects, verdictValues } from "../../db/schema/index.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";
import { csv, cursorParam, queryBool, queryInstant, queryLimit, windowRule } from "../query.js";

const tags = ["verdicts"];

/**
 * `POST /{id}/verdict` on moments and on interactions: one declaration, mounted by each feature's
 * router. Giving one is acting on a flag, as acknowledging and resolving moments are.
 */
export const giveVerdict = (subject: "moment" | "interaction") =>
  createRoute({
    method: "post",
    path: "/{id}/verdict",
    tags: [...tags, `${subject}s`],
    summary:
      subject === "moment"
        ? "Judge a moment: confirmed or false_alarm"
        : "Judge an interaction: confirmed or false_alarm when it was flagged, missed when it was not",
    description:
      "Records who (the person, or the key of a system) and when. A later verdict by the same person on the same subject replaces theirs; the earlier one stays in the history.",
    ...secured("act", { body: "verdict" }),
    request: { params: idParams(`The ${subject}'s id`), body: jsonBody(verdictInputSchema) },
    responses: {
      201: json(verdictSchema, "The verdict as recorded"),
      ...keyProblems,
      ...bodyProblems,
      ...problems(404, 503),
    },
  });

export const listQuery = z
  .object({
    from: queryInstant
      .optional()
      .meta({ description: "Verdicts given at or after this instant (1970–2100); default 30 days before `to`." }),
    to: queryInstant
      .optional()
      .meta({ description: "Verdicts given before this instant (at most 731 days after `from`); default now." }),
    verdict: csv(z.enum(verdictValues, "must be confirmed, false_alarm or missed")).optional(),
    kind: z.enum(verdictSubjects, "must be moment or interaction").optional(),
    subjectId: z.string().max(100).optional().meta({ description: "Only verdicts on this moment or interaction." }),
    history: queryBool.default(false).meta({ description: "Include verdicts their author later replaced." }),
    cursor: cursorParam,
    limit: queryLimit(200, 50),
  })
  .superRefine(windowRule({ maxSpan: true }));

export const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Verdicts given in a time window, newest first",
  ...secured("review"),
  request: { query: listQuery },
  responses: { 200: json(verdictPage, "A page of verdicts"), ...keyProblems, ...problems(422, 503) },
});
