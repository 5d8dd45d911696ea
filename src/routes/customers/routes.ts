import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { interactionChannels } from "../../contracts/interactions.js";
import {
  customerCard,
  customerProfileSchema,
  erasureResult,
  mergedCustomer,
  timelinePage,
} from "../../contracts/customers.js";
import { idParams, json, keyProblems, problems, secured } from "../openapi.js";
import { csv, cursorParam, queryBool, queryInstant, queryLimit, windowRule } from "../query.js";

const tags = ["customers"];
const params = idParams("The customer's id");
const merged409 = {
  ...problems(409)[409],
  description: "The customer is merged into another, which holds its records",
};
const movedTo = (what: string) => ({
  ...json(mergedCustomer, `The customer was merged: ${what} is on the survivor (Location)`),
  headers: z.object({ location: z.string() }),
});

export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .min(2, "must be at least 2 characters")
    .max(200)
    .meta({ description: "A name, email, phone, handle, account number, CRM or device id." }),
  limit: queryLimit(50, 20),
});

export const timelineQuery = z
  .object({
    from: queryInstant.optional().meta({ description: "Items that occurred at or after this instant (1970–2100)." }),
    to: queryInstant.optional().meta({ description: "Items that occurred before this instant (1970–2100)." }),
    channels: csv(z.enum(interactionChannels, "must be chat, email, call_note or social")).optional().meta({
      description: "Interactions of these channels (comma-separated); naming channels or types shows only those.",
    }),
    types: csv(z.string().regex(/^[a-z][a-z0-9_.-]{0,49}$/, "must be an event type"))
      .optional()
      .meta({ description: "Events of these types, and `moment` for moments (comma-separated)." }),
    flaggedOnly: queryBool.optional().meta({ description: "Only flagged interactions and moments." }),
    cursor: cursorParam,
    limit: queryLimit(200, 50),
    order: z.enum(["asc", "desc"]).default("asc"),
  })
  .superRefine(windowRule());

/**
 * An erasure window may be as wide as the date range (a customer asks for everything before a date):
 * it is one customer's rows, deleted in SQL without being read, so its width sizes no memory here.
 */
export const rangeQuery = z
  .object({
    from: queryInstant.meta({ description: "Erase what occurred at or after this instant (1970–2100)." }),
    to: queryInstant.meta({ description: "Erase what occurred before this instant (1970–2100)." }),
  })
  .superRefine(windowRule());

export const search = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "Find customers by name, email, phone, handle, account number, CRM or device id",
  ...secured("view"),
  request: { query: searchQuery },
  responses: {
    200: json(z.object({ items: z.array(customerCard) }), "Matching customers with their identifiers"),
    ...keyProblems,
    ...problems(422, 503),
  },
});

export const profile = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "Customer profile: identifiers, contacts, channels, sentiment trend (7/30/90 days), open needs, latest risk",
  ...secured("view"),
  request: { params },
  responses: {
    200: json(customerProfileSchema, "The profile"),
    307: movedTo("the profile"),
    ...keyProblems,
    ...problems(404, 503),
  },
});

export const timeline = createRoute({
  method: "get",
  path: "/{id}/timeline",
  tags,
  summary: "Interactions, journey events and moments in occurredAt order, keyset-paginated",
  ...secured("view"),
  request: { params, query: timelineQuery },
  responses: {
    200: json(timelinePage, "A page of the timeline"),
    307: movedTo("the timeline"),
    ...keyProblems,
    ...problems(404, 422, 503),
  },
});

export const erase = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Erase a customer and everything derived from them",
  description:
    "Includes the customers merged into this one. Freed pages are zeroed and the WAL truncated, so the data is gone from the file.",
  ...secured("manage_data"),
  request: { params },
  responses: { 200: json(erasureResult, "What was erased"), ...keyProblems, ...problems(404, 503), 409: merged409 },
});

export const eraseData = createRoute({
  method: "delete",
  path: "/{id}/data",
  tags,
  summary: "Erase one customer's interactions and events in [from, to), and what was derived from them",
  ...secured("manage_data"),
  request: { params, query: rangeQuery },
  responses: {
    200: json(erasureResult, "What was erased (the customer stays)"),
    ...keyProblems,
    ...problems(422, 503),
    409: merged409,
  },
});
