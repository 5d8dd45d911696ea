import { Hono } from "hono";
import type { CountryCode } from "libphonenumber-js";
import { z } from "zod";
import type { AppEnv } from "../../app-env.js";
import { identityKinds } from "../../db/schema/index.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { requireScope } from "../../middleware/auth.js";
import { readValidBody } from "../../middleware/json-body.js";
import { trimmed } from "../common-schemas.js";
import { identityHistory, linkIdentifier, mergeManually, normaliseIdentifier, splitCustomer, unmergeCustomer } from "../../services/customers/identity-admin.js";

const identifierSchema = z.object({
  kind: z.enum(identityKinds, `must be one of ${identityKinds.join(", ")}`),
  value: trimmed(320),
  platform: trimmed(40).optional(),
});
const unmergeSchema = z.object({ mergeId: z.string().max(100).optional() });
const mergeSchema = z.object({ customerId: z.string().min(1).max(100) });
const splitSchema = z
  .object({
    identifiers: z.array(identifierSchema).max(100).default([]),
    interactions: z.array(z.string().min(1)).max(10_000).default([]),
    events: z.array(z.string().min(1)).max(10_000).default([]),
    displayName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((s) => s.identifiers.length + s.interactions.length + s.events.length > 0, { message: "name identifiers, interactions or events to split off", path: ["identifiers"] });

/** The body, validated; `optional` bodies may be left out entirely (an unmerge of the latest merge). */
function body<T extends z.ZodType>(c: import("hono").Context<AppEnv>, schema: T, optional = false): Promise<z.infer<T>> {
  const hasBody = (c.req.header("content-length") ?? "0") !== "0" || c.req.header("content-type");
  return readValidBody(c, schema, "request body", optional && !hasBody ? {} : undefined);
}

const actorOf = (c: import("hono").Context<AppEnv>) => `key:${c.var.principal.id}`;

export const customerIdentityRoutes = new Hono<AppEnv>()
  .get("/:id/identity-history", requireScope("read"), async (c) => c.json({ items: await identityHistory(c.var.deps.db, c.req.param("id")) }))
  .post("/:id/unmerge", requireScope("admin"), async (c) => {
    const { mergeId } = await body(c, unmergeSchema, true);
    return c.json(await unmergeCustomer(c.var.deps.db, c.req.param("id"), mergeId, actorOf(c), c.var.deps.clock()));
  })
  .post("/:id/merge", requireScope("admin"), async (c) => {
    const { customerId } = await body(c, mergeSchema);
    return c.json(await mergeManually(c.var.deps.db, c.req.param("id"), customerId, actorOf(c), c.var.deps.clock()));
  })
  .post("/:id/identifiers", requireScope("admin"), async (c) => {
    const input = await body(c, identifierSchema);
    const { db, config, identityRules } = c.var.deps;
    const id = normaliseIdentifier(input, config.PHONE_DEFAULT_REGION as CountryCode, "value");
    const result = await linkIdentifier(db, c.req.param("id"), id, identityRules, actorOf(c), c.var.deps.clock());
    return c.json(result, result.linked ? 201 : 200);
  })
  .post("/:id/split", requireScope("admin"), async (c) => {
    const input = await body(c, splitSchema);
    const region = c.var.deps.config.PHONE_DEFAULT_REGION as CountryCode;
    const identifiers = input.identifiers.map((i, n) => normaliseIdentifier(i, region, `identifiers.${n}.value`));
    const result = await splitCustomer(c.var.deps.db, c.req.param("id"), { ...input, identifiers }, actorOf(c), c.var.deps.clock());
    return c.json(result, 201);
  });

export const customerIdentityOperations: Operation[] = [
  { method: "get", path: "/v1/customers/{id}/identity-history", summary: "Every merge, unmerge, manual link, split and cap of this customer's identity, with evidence", tags: ["identity"], scope: "read", responses: { 200: { description: "The audit trail, oldest first" } } },
  { method: "post", path: "/v1/customers/{id}/unmerge", summary: "Undo the latest (or the named) merge into this customer", tags: ["identity"], scope: "admin", request: unmergeSchema, responses: { 200: { description: "The restored customer and what moved back" }, 404: { description: "Nothing to unmerge" } } },
  { method: "post", path: "/v1/customers/{id}/merge", summary: "Merge another customer into this one by hand", tags: ["identity"], scope: "admin", request: mergeSchema, responses: { 200: { description: "The merge" }, 409: { description: "Already merged" } } },
  { method: "post", path: "/v1/customers/{id}/identifiers", summary: "Link an identifier to this customer by hand", tags: ["identity"], scope: "admin", request: identifierSchema, responses: { 201: { description: "Linked" }, 200: { description: "Already linked" }, 409: { description: "Belongs to another customer, or the per-kind cap is reached" } } },
  { method: "post", path: "/v1/customers/{id}/split", summary: "Split identifiers, interactions and events off into a new customer", tags: ["identity"], scope: "admin", request: splitSchema, responses: { 201: { description: "The new customer and what moved" } } },
];
