import { Hono } from "hono";
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import type { AppEnv } from "../../app-env.js";
import { decodeCursor } from "../../lib/cursor.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { ApiError } from "../../lib/problem.js";
import { requireScope } from "../../middleware/auth.js";
import { eraseCustomer, eraseCustomerData } from "../../services/customers/erasure.js";
import { customerProfile } from "../../services/customers/profile.js";
import { searchCustomers } from "../../services/customers/search.js";
import { customerTimeline } from "../../services/customers/timeline.js";
import { csv, parseQuery, queryBool, queryInstant, queryLimit, windowRule } from "../query.js";

const searchQuery = z.object({ q: z.string().trim().min(2, "must be at least 2 characters").max(200), limit: queryLimit(50, 20) });
const timelineQuery = z
  .object({
    from: queryInstant.optional(),
    to: queryInstant.optional(),
    channels: csv(z.enum(["chat", "email", "call_note", "social"], "must be chat, email, call_note or social")).optional(),
    types: csv(z.string().regex(/^[a-z][a-z0-9_.-]{0,49}$/, "must be an event type")).optional(),
    flaggedOnly: queryBool.optional(),
    cursor: z.string().max(500).optional(),
    limit: queryLimit(200, 50),
    order: z.enum(["asc", "desc"]).default("asc"),
  })
  .superRefine(windowRule());
/**
 * An erasure window may be as wide as the date range (a customer asks for everything before a date):
 * it is one customer's rows, deleted in SQL without being read, so its width sizes no memory here.
 */
const rangeQuery = z.object({ from: queryInstant, to: queryInstant }).superRefine(windowRule());

export const customerRoutes = new Hono<AppEnv>()
  .get("/", requireScope("read"), async (c) => {
    const { q, limit } = parseQuery(searchQuery, c.req.query());
    const { db, config } = c.var.deps;
    return c.json({ items: await searchCustomers(db, q, config.PHONE_DEFAULT_REGION as CountryCode, limit) });
  })
  .get("/:id", requireScope("read"), async (c) => {
    const profile = await customerProfile(c.var.deps.db, c.req.param("id"), c.var.deps.clock());
    if (!profile) throw new ApiError("not_found", `No customer ${c.req.param("id")}.`);
    if ("mergedInto" in profile) {
      // A merged customer lives on in its survivor: point there (temporary, since a merge can be undone).
      c.header("location", `/v1/customers/${profile.mergedInto}`);
      return c.json({ id: c.req.param("id"), mergedInto: profile.mergedInto }, 307);
    }
    return c.json(profile);
  })
  .get("/:id/timeline", requireScope("read"), async (c) => {
    const q = parseQuery(timelineQuery, c.req.query());
    const { db } = c.var.deps;
    const [customer] = (await db.$client.execute({ sql: "SELECT merged_into FROM customers WHERE id = ?", args: [c.req.param("id")] })).rows;
    if (!customer) throw new ApiError("not_found", `No customer ${c.req.param("id")}.`);
    if (customer.merged_into) {
      c.header("location", `/v1/customers/${customer.merged_into}/timeline`);
      return c.json({ id: c.req.param("id"), mergedInto: customer.merged_into }, 307);
    }
    return c.json(await customerTimeline(db, c.req.param("id"), { ...q, cursor: decodeCursor(q.cursor) }));
  })
  .delete("/:id", requireScope("admin"), async (c) => {
    const { db, moments, momentFeed: feed, clock } = c.var.deps;
    const result = await eraseCustomer({ db, moments, feed }, c.req.param("id"), clock());
    if (!result.customer) throw new ApiError("not_found", `No customer ${c.req.param("id")}.`);
    // The log line is the erasure's record outside the database: replayed after restoring a backup (docs/privacy.md).
    c.var.deps.logger.info({ customerId: c.req.param("id"), ...result }, "customer erased");
    return c.json({ erased: result });
  })
  .delete("/:id/data", requireScope("admin"), async (c) => {
    const { from, to } = parseQuery(rangeQuery, c.req.query());
    const { db, moments, momentFeed: feed } = c.var.deps;
    const result = await eraseCustomerData({ db, moments, feed }, c.req.param("id"), from, to);
    // The log line is the erasure's record outside the database: replayed after restoring a backup (docs/privacy.md).
    c.var.deps.logger.info({ customerId: c.req.param("id"), from: from.toISOString(), to: to.toISOString(), ...result }, "customer data erased");
    return c.json({ erased: result });
  });

export const customerOperations: Operation[] = [
  { method: "get", path: "/v1/customers", summary: "Find customers by name, email, phone, handle, account number, CRM or device id", tags: ["customers"], scope: "read", query: searchQuery, responses: { 200: { description: "Matching customers with their identifiers" } } },
  { method: "get", path: "/v1/customers/{id}", summary: "Customer profile: identifiers, contacts, channels, sentiment trend (7/30/90 days), open needs, latest risk", tags: ["customers"], scope: "read", responses: { 200: { description: "The profile" }, 404: { description: "Unknown customer" } } },
  {
    method: "get",
    path: "/v1/customers/{id}/timeline",
    summary: "Interactions and journey events in occurredAt order, keyset-paginated",
    description: "Filters: from/to (ISO 8601, between 1970 and 2100), channels and types (comma-separated; naming either shows only those), flaggedOnly, order asc|desc. Pass nextCursor back as cursor for the next page.",
    tags: ["customers"],
    scope: "read",
    responses: { 200: { description: "A page of the timeline" }, 404: { description: "Unknown customer" }, 422: { description: "Invalid query" } },
  },
  { method: "delete", path: "/v1/customers/{id}", summary: "Erase a customer and everything derived from them", tags: ["customers"], scope: "admin", responses: { 200: { description: "What was erased" }, 404: { description: "Unknown customer" }, 409: { description: "The customer is merged into another, which holds its records" } } },
  { method: "delete", path: "/v1/customers/{id}/data", summary: "Erase one customer's interactions and events in [from, to), and what was derived from them (any window between 1970 and 2100)", tags: ["customers"], scope: "admin", responses: { 200: { description: "What was erased" }, 409: { description: "The customer is merged into another, which holds its records" } } },
];
