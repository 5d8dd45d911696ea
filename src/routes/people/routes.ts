import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { auditPage, meSchema, userInputSchema, userList, userPatchSchema, userSchema } from "../../contracts/people.js";
import { auditActions } from "../../db/schema/index.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";
import { cursorParam, queryLimit } from "../query.js";

const tags = ["people"];
const params = idParams("The person's id");

export const me = createRoute({
  method: "get",
  path: "/me",
  tags,
  summary: "Who the request acts for (a signed-in person or an API key) and what they may do",
  ...secured("any"),
  responses: { 200: json(meSchema, "The person or key, with its permissions"), ...keyProblems, ...problems(503) },
});

export const list = createRoute({
  method: "get",
  path: "/users",
  tags,
  summary: "Everyone who can sign in to the console, by username",
  ...secured("manage_users"),
  responses: { 200: json(userList, "People"), ...keyProblems, ...problems(503) },
});

export const create = createRoute({
  method: "post",
  path: "/users",
  tags,
  summary: "Add a person with a role (and a password, for local sign-in)",
  description:
    "Audited as `user_created`. A password must be at least 12 characters and hard to guess (10^10 guesses by zxcvbn, knowing the username and name); it is stored only as an argon2id hash. People who sign in through the OpenID Provider are added at their first sign-in.",
  ...secured("manage_users", { body: "person" }),
  request: { body: jsonBody(userInputSchema) },
  responses: {
    201: json(userSchema, "The person as created"),
    ...keyProblems,
    ...bodyProblems,
    409: { ...problems(409)[409], description: "The username is taken" },
    ...problems(503),
  },
});

export const getOne = createRoute({
  method: "get",
  path: "/users/{id}",
  tags,
  summary: "One person",
  ...secured("manage_users"),
  request: { params },
  responses: { 200: json(userSchema, "The person"), ...keyProblems, ...problems(404, 503) },
});

export const update = createRoute({
  method: "patch",
  path: "/users/{id}",
  tags,
  summary: "Change a person's name, role or password, or disable or enable them",
  description:
    "Each change is audited (`role_changed`, `password_set`, `user_disabled`, …). A role change applies to the person's open sessions at once; disabling ends them. The only enabled admin cannot be demoted or disabled.",
  ...secured("manage_users", { body: "change" }),
  request: { params, body: jsonBody(userPatchSchema) },
  responses: {
    200: json(userSchema, "The person as changed"),
    ...keyProblems,
    ...bodyProblems,
    409: { ...problems(409)[409], description: "The change would leave no enabled admin" },
    ...problems(404, 503),
  },
});

export const disable = createRoute({
  method: "delete",
  path: "/users/{id}",
  tags,
  summary: "Disable a person: signed out everywhere, refused at sign-in, kept on what they did",
  ...secured("manage_users"),
  request: { params },
  responses: {
    200: json(userSchema, "The person, disabled"),
    ...keyProblems,
    409: { ...problems(409)[409], description: "The person is the only enabled admin" },
    ...problems(404, 503),
  },
});

export const auditQuery = z.object({
  subjectId: z.string().max(100).optional().meta({ description: "Only entries about this person." }),
  action: z.enum(auditActions, `must be one of ${auditActions.join(", ")}`).optional(),
  cursor: cursorParam,
  limit: queryLimit(200, 50),
});

export const auditLogRoute = createRoute({
  method: "get",
  path: "/audit",
  tags,
  summary: "Sign-ins, failed sign-ins, sign-outs and every change to a person, newest first",
  ...secured("manage_users"),
  request: { query: auditQuery },
  responses: { 200: json(auditPage, "A page of audit entries"), ...keyProblems, ...problems(422, 503) },
});
