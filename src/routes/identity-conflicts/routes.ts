import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { identityConflictPage } from "../../contracts/identity-conflicts.js";
import { conflictStatuses } from "../../db/schema/index.js";
import { idParams, json, keyProblems, problems, secured } from "../openapi.js";
import { cursorParam, queryLimit } from "../query.js";

const tags = ["identity"];

export const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Records whose identifiers named two customers an unmerge had separated, newest first",
  description:
    "Merge the two by hand (`POST /v1/customers/{id}/merge`) when they are one person, or dismiss the conflict.",
  ...secured("view"),
  request: {
    query: z.object({
      status: z.enum(conflictStatuses, `must be one of ${conflictStatuses.join(", ")}`).default("open"),
      cursor: cursorParam,
      limit: queryLimit(200, 50),
    }),
  },
  responses: { 200: json(identityConflictPage, "A page of conflicts"), ...keyProblems, ...problems(422, 503) },
});

export const dismiss = createRoute({
  method: "post",
  path: "/{id}/dismiss",
  tags,
  summary: "Judge the two customers to be different people (the conflict closes; they stay apart)",
  ...secured("manage_data"),
  request: { params: idParams("The conflict's id") },
  responses: {
    200: json(z.object({ id: z.string(), status: z.enum(conflictStatuses) }), "The conflict"),
    ...keyProblems,
    ...problems(404, 503),
    409: { ...problems(409)[409], description: "Already dismissed or merged" },
  },
});
