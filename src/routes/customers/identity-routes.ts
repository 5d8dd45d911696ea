import { createRoute } from "@hono/zod-openapi";
import {
  identifierInputSchema,
  identityHistorySchema,
  linkResult,
  mergeInputSchema,
  mergeResult,
  splitInputSchema,
  splitResult,
  unmergeInputSchema,
  unmergeResult,
} from "../../contracts/identity.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

const tags = ["identity"];
const params = idParams("The customer's id");
const body = "request body";

export const history = createRoute({
  method: "get",
  path: "/{id}/identity-history",
  tags,
  summary: "Every merge, unmerge, manual link, split and cap of this customer's identity, with evidence",
  ...secured("view"),
  request: { params },
  responses: { 200: json(identityHistorySchema, "The audit trail, oldest first"), ...keyProblems, ...problems(503) },
});

export const unmerge = createRoute({
  method: "post",
  path: "/{id}/unmerge",
  tags,
  summary: "Undo the latest (or the named) merge into this customer",
  description: "The body may be left out to undo the latest merge.",
  ...secured("manage_data", { body, optionalBody: true }),
  request: { params, body: { ...jsonBody(unmergeInputSchema), required: false } },
  responses: {
    200: json(unmergeResult, "The restored customer and what moved back"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(404, 409, 503),
  },
});

export const merge = createRoute({
  method: "post",
  path: "/{id}/merge",
  tags,
  summary: "Merge another customer into this one by hand",
  ...secured("manage_data", { body }),
  request: { params, body: jsonBody(mergeInputSchema) },
  responses: { 200: json(mergeResult, "The merge"), ...keyProblems, ...bodyProblems, ...problems(404, 409, 503) },
});

export const link = createRoute({
  method: "post",
  path: "/{id}/identifiers",
  tags,
  summary: "Link an identifier to this customer by hand",
  ...secured("manage_data", { body }),
  request: { params, body: jsonBody(identifierInputSchema) },
  responses: {
    201: json(linkResult, "Linked"),
    200: json(linkResult, "Already linked"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(404, 503),
    409: { ...problems(409)[409], description: "Belongs to another customer, or the per-kind cap is reached" },
  },
});

export const split = createRoute({
  method: "post",
  path: "/{id}/split",
  tags,
  summary: "Split identifiers, interactions and events off into a new customer",
  ...secured("manage_data", { body }),
  request: { params, body: jsonBody(splitInputSchema) },
  responses: {
    201: json(splitResult, "The new customer and what moved"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(404, 409, 503),
  },
});
