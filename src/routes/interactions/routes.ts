import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { interactionChannels, interactionInputSchema } from "../../contracts/interactions.js";
import { analysisSummarySchema } from "../../contracts/analysis.js";
import { batchEnvelope, batchResponse, createdResponse, storedInteraction } from "../../contracts/records.js";
import { bodyProblems, idParams, json, jsonBody, keyProblems, problems, secured } from "../openapi.js";
import { csvResponse } from "../csv-export.js";
import { EXPORT_MAX_ROWS } from "../../services/exports/limits.js";
import { csv, cursorParam, queryBool, queryInstant, queryLimit, windowRule } from "../query.js";

const tags = ["interactions"];

const searchFields = {
  from: queryInstant
    .optional()
    .meta({ description: "Start of the window (inclusive; 1970–2100); default 24 hours before `to`." }),
  to: queryInstant.optional().meta({
    description: "End of the window (exclusive; at most 731 days after `from`); default now, or 24 hours after `from`.",
  }),
  channel: csv(z.enum(interactionChannels, "must be chat, email, call_note or social")).optional(),
  sentiment: csv(z.enum(["negative", "neutral", "positive"], "must be negative, neutral or positive")).optional(),
  topic: z
    .string()
    .regex(/^[a-z_]+$/, "must be a topic id")
    .optional(),
  need: z
    .string()
    .regex(/^[a-z_]+$/, "must be a need id")
    .optional(),
  flagged: queryBool.optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Full text: every word must appear (stemmed), the last as a prefix." }),
  cursor: cursorParam,
  order: z.enum(["asc", "desc"]).default("desc"),
};

export const searchQuery = z
  .object({ ...searchFields, limit: queryLimit(200, 50) })
  .superRefine(windowRule({ maxSpan: true }));

/** An export takes the search's filters; `limit` is its size, up to EXPORT_MAX_ROWS. */
export const exportQuery = z
  .object({
    ...searchFields,
    limit: queryLimit(EXPORT_MAX_ROWS, EXPORT_MAX_ROWS).meta({
      description: `Rows in this export: at most ${EXPORT_MAX_ROWS.toLocaleString("en")} (the default).`,
    }),
  })
  .superRefine(windowRule({ maxSpan: true }));

export const searchPage = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        customerId: z.string(),
        channel: z.string(),
        occurredAt: z.iso.datetime(),
        summary: z.string().meta({ description: "One line: the subject, or the customer's first words." }),
        analysis: analysisSummarySchema.nullable(),
      }),
    ),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: "Pass back as `cursor` for the next page; null on the last." }),
  })
  .meta({ id: "InteractionSearchPage" });

export const search = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Search interactions across customers in a time window",
  ...secured("view"),
  request: { query: searchQuery },
  responses: {
    200: json(searchPage, "A page of interactions with their analysis summary"),
    ...keyProblems,
    ...problems(422, 503),
  },
});

export const exportCsv = createRoute({
  method: "get",
  path: "/export",
  tags,
  summary: "Export what a search finds as CSV",
  description:
    "The search's filters and order; the interactions' stored text, with personal data masked, and their analysis. Audited (who, filters, rows).",
  ...secured("export"),
  request: { query: exportQuery },
  responses: {
    200: csvResponse("The interactions"),
    ...keyProblems,
    ...problems(422, 503),
  },
});

export const createOne = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Ingest one interaction (chat, email, call note or social post)",
  description:
    "Idempotent on (source, externalId): posting the same body again answers 200 with the original id; another body under the same pair answers 409 and changes nothing.",
  ...secured("ingest", { body: "interaction" }),
  request: { body: jsonBody(interactionInputSchema) },
  responses: {
    201: json(createdResponse, "Created and analysed (Location names the new record)"),
    200: json(createdResponse, "Already stored (same source and externalId)"),
    ...keyProblems,
    ...bodyProblems,
    ...problems(409, 503),
  },
});

export const createBatch = (maxItems: number) =>
  createRoute({
    method: "post",
    path: "/batch",
    tags,
    summary: `Ingest up to ${maxItems.toLocaleString("en")} interactions`,
    description:
      "Each item gets its own result, in order: 201, 200 (already stored, same content), 409 (already stored with other content) or 422, with its problem.",
    ...secured("ingest", { body: "batch" }),
    request: { body: jsonBody(batchEnvelope(maxItems, "InteractionInput")) },
    responses: { 200: json(batchResponse, "Per-item results"), ...keyProblems, ...bodyProblems, ...problems(503) },
  });

export const getOne = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "Read one stored interaction with its analysis",
  ...secured("view"),
  request: { params: idParams("The interaction's id") },
  responses: { 200: json(storedInteraction, "The interaction"), ...keyProblems, ...problems(404, 503) },
});

export const emailThread = z
  .object({
    threadId: z.string().nullable().meta({
      description:
        "The thread's id: its root's Message-ID (raw email), or the thread the sender names (a Zendesk ticket). Null for a record of another channel, a thread of one.",
    }),
    messages: z.array(
      z.object({
        id: z.string(),
        externalId: z.string(),
        occurredAt: z.string(),
        subject: z.string().nullable(),
        from: z.string().nullable(),
        direction: z.string().nullable(),
        text: z
          .string()
          .meta({ description: "The message's new text as stored (masked), without its quoted history." }),
      }),
    ),
    truncated: z.boolean().meta({ description: "Whether the thread holds more than the 500 messages listed." }),
  })
  .meta({ id: "EmailThread" });

export const getThread = createRoute({
  method: "get",
  path: "/{id}/thread",
  tags,
  summary: "Read the email thread an interaction belongs to, oldest message first",
  description:
    "Raw emails join their thread by Message-ID, In-Reply-To and References, also when a reply arrives before its parent.",
  ...secured("view"),
  request: { params: idParams("The id of any interaction of the thread") },
  responses: { 200: json(emailThread, "The thread"), ...keyProblems, ...problems(404, 503) },
});
