import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import {
  calibrationList,
  calibrationSchema,
  proposeInputSchema,
  rollbackResult,
} from "../../contracts/calibrations.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";
import { queryLimit } from "../query.js";

const tags = ["calibrations"];
const params = idParams("The calibration's id");

export const propose = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Fit a calibration from verdicts and answer its effect on the last N days (a proposal: nothing changes)",
  ...secured("manage_rules", { body: "calibration request", optionalBody: true }),
  request: { body: { ...jsonBody(proposeInputSchema), required: false } },
  responses: {
    201: json(calibrationSchema, "The proposal, with its fit and effect"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(503),
    409: { ...problems(409)[409], description: "Too few verdicts to fit either part" },
  },
});

export const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Calibrations, newest first, the one in force and the audit trail",
  ...secured("review"),
  request: { query: z.object({ limit: queryLimit(100, 20) }) },
  responses: { 200: json(calibrationList, "Calibrations"), ...keyProblems, ...problems(422, 503) },
});

export const getOne = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "One calibration with its audit trail",
  ...secured("review"),
  request: { params },
  responses: { 200: json(calibrationSchema, "The calibration"), ...keyProblems, ...problems(404, 503) },
});

export const activate = createRoute({
  method: "post",
  path: "/{id}/activate",
  tags,
  summary: "Put a calibration in force (a new rules version; the one before is retired, and can be activated again)",
  ...secured("manage_rules"),
  request: { params },
  responses: {
    200: json(calibrationSchema, "The calibration, now active"),
    ...keyProblems,
    ...problems(404, 503),
    409: { ...problems(409)[409], description: "Already active" },
  },
});

export const rollback = createRoute({
  method: "post",
  path: "/rollback",
  tags,
  summary: "Undo the last activation: what it replaced (or the shipped rules) is in force again",
  ...secured("manage_rules"),
  responses: {
    200: json(rollbackResult, "What is in force now"),
    ...keyProblems,
    ...problems(503),
    409: { ...problems(409)[409], description: "The shipped rules are already in force" },
  },
});
