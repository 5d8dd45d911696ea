import { createRoute } from "@hono/zod-openapi";
import { jobSchema, reanalysisInputSchema } from "../../contracts/jobs.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

const tags = ["jobs"];

export const startReanalysis = createRoute({
  method: "post",
  path: "/reanalysis",
  tags,
  summary: "Re-analyse stored interactions with the lexicons, model and calibration in force, in the background",
  description:
    "Resumable after a restart, throttled behind live ingest; GET /v1/jobs/{id} reports progress and what changed.",
  ...secured("manage_rules", { body: "re-analysis request", optionalBody: true }),
  request: { body: { ...jsonBody(reanalysisInputSchema), required: false } },
  responses: {
    202: json(jobSchema, "The job, queued (Location names it)"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(503),
  },
});

export const getJob = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "A job's status, progress and summary",
  ...secured("manage_rules"),
  request: { params: idParams("The job's id") },
  responses: { 200: json(jobSchema, "The job"), ...keyProblems, ...problems(404, 503) },
});
