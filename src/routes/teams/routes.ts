import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { teamList, teamMemberSchema, teamName } from "../../contracts/work.js";
import { bodyProblems, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";

const tags = ["teams"];
const params = z.object({
  team: teamName,
  personId: z.string().min(1).max(100).meta({ description: "The person's id, e.g. `key:key_01…`." }),
});

export const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Teams and their members (the queue's team view reads them)",
  ...secured("view"),
  responses: { 200: json(teamList, "Every team with members"), ...keyProblems, ...problems(503) },
});

export const addMember = createRoute({
  method: "put",
  path: "/{team}/members/{personId}",
  tags,
  summary: "Put a person in a team (a team exists while it has members)",
  ...secured("manage_users", { body: "member" }),
  request: {
    params,
    body: jsonBody(z.object({ name: z.string().trim().min(1).max(200).meta({ description: "The name shown." }) })),
  },
  responses: {
    200: json(teamMemberSchema, "The membership"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(503),
  },
});

export const removeMember = createRoute({
  method: "delete",
  path: "/{team}/members/{personId}",
  tags,
  summary: "Take a person out of a team",
  ...secured("manage_users"),
  request: { params },
  responses: { 204: { description: "Removed" }, ...keyProblems, ...problems(404, 422, 503) },
});
