import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { agentReportSchema } from "../../contracts/agents.js";
import { json, keyProblems, problems, secured } from "../openapi.js";
import { queryInstant, windowRule } from "../query.js";

export const agentsQuery = z
  .object({
    from: queryInstant.optional().meta({
      description: "Moments opened and conversations held at or after this instant; default 30 days before `to`.",
    }),
    to: queryInstant
      .optional()
      .meta({ description: "Before this instant (at most 731 days after `from`); default now." }),
  })
  .superRefine(windowRule({ maxSpan: true }));

export const report = createRoute({
  method: "get",
  path: "/",
  tags: ["people"],
  summary:
    "Per agent: moments handled, time to acknowledge against the targets, customers' sentiment in their chats and calls",
  ...secured("review"),
  request: { query: agentsQuery },
  responses: {
    200: json(agentReportSchema, "One item per agent who handled a moment or took a chat or call in the window"),
    ...keyProblems,
    ...problems(422, 503),
  },
});
