import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { qualitySchema } from "../../contracts/quality.js";
import { json, keyProblems, problems, secured } from "../openapi.js";
import { queryInstant, windowRule } from "../query.js";

export const qualityQuery = z
  .object({
    from: queryInstant
      .optional()
      .meta({ description: "Flags raised at or after this instant (1970–2100); default 90 days before `to`." }),
    to: queryInstant
      .optional()
      .meta({ description: "Flags raised before this instant (at most 731 days after `from`); default now." }),
  })
  .superRefine(windowRule({ maxSpan: true }));

export const report = createRoute({
  method: "get",
  path: "/",
  tags: ["verdicts"],
  summary: "How good the flags raised in a window were, from agents' verdicts",
  ...secured("review"),
  request: { query: qualityQuery },
  responses: {
    200: json(
      qualitySchema,
      "Flags raised and judged, precision by week, channel, severity and reason, missed complaints, the thresholds' precision and recall",
    ),
    ...keyProblems,
    ...problems(422, 503),
  },
});
