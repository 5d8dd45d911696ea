import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { interactionChannels } from "../../contracts/interactions.js";
import { notAnalysedSchema } from "../../contracts/languages.js";
import { json, keyProblems, problems, secured } from "../openapi.js";
import { csv, queryInstant, windowRule } from "../query.js";

export const languagesQuery = z
  .object({
    from: queryInstant
      .optional()
      .meta({ description: "Start of the window (inclusive; 1970–2100); default 24 hours before `to`." }),
    to: queryInstant.optional().meta({
      description:
        "End of the window (exclusive; at most 731 days after `from`); default now, or 24 hours after `from`.",
    }),
    channel: csv(z.enum(interactionChannels, "must be chat, email, call_note or social")).optional(),
  })
  .superRefine(windowRule({ maxSpan: true }));

export const notAnalysed = createRoute({
  method: "get",
  path: "/not-analysed",
  tags: ["interactions"],
  summary: "Contacts in languages Earshot does not analyse, per language, in a time window",
  description:
    'Such contacts have no sentiment (null, label `not_analysed`); only journey and language-free signals (emoji, "!!", capitals, waits) count towards their risk.',
  ...secured("view"),
  request: { query: languagesQuery },
  responses: {
    200: json(notAnalysedSchema, "How many contacts, and how many per language"),
    ...keyProblems,
    ...problems(422, 503),
  },
});
