import { OpenAPIHono, type Hook } from "@hono/zod-openapi";
import { z } from "zod";
import type { AppEnv } from "../app-env.js";
import { zodFieldErrors } from "../lib/field-errors.js";
import { ApiError, problemBodySchema, problemCodes } from "../lib/problem.js";
import { requirePermission, type Requirement } from "../middleware/auth.js";
import { grantersOf, type Permission } from "../services/people/permissions.js";
import { checkedJsonBody } from "../middleware/json-body.js";

// What every route declaration is built from: one router type, one answer to a validation failure,
// one set of problem responses and one way to say which scope a route needs.

/**
 * A validation failure is a 422 problem naming each bad field, for the query, the path and the body
 * alike (the default would be zod's own error object with a 400).
 */
export const defaultHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return;
  const what =
    result.target === "query" ? "query" : result.target === "param" ? "path" : (c.var.bodyName ?? "request body");
  throw new ApiError("validation_failed", `The ${what} is invalid.`, zodFieldErrors(result.error));
};

/** A feature's router; mounted with `app.route()`, its declarations join the app's OpenAPI document. */
export const createRouter = () => new OpenAPIHono<AppEnv>({ defaultHook });

/** A JSON response documented with its schema. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  content: { "application/json": { schema } },
});

const problem = (status: keyof typeof descriptions) => ({
  description: descriptions[status],
  content: { "application/problem+json": { schema: problemBodySchema } },
});

const descriptions = {
  400: `${problemCodes.malformed_json.title}, or ${problemCodes.invalid_utf8.title.toLowerCase()}`,
  401: problemCodes.unauthorized.title,
  403: problemCodes.forbidden.title,
  404: problemCodes.not_found.title,
  409: problemCodes.conflict.title,
  413: problemCodes.payload_too_large.title,
  415: `${problemCodes.unsupported_media_type.title}: send application/json`,
  422: `${problemCodes.validation_failed.title}: each bad field is named in \`errors\``,
  429: `${problemCodes.rate_limited.title}: Retry-After says when to try again`,
  503: `${problemCodes.unavailable.title}: the database is busy (Retry-After) or the process is draining`,
} as const;

type ProblemStatus = keyof typeof descriptions;

/** The shared problem responses a route can answer with, spread into its `responses`. */
export function problems<S extends ProblemStatus>(...statuses: S[]): { [K in S]: ReturnType<typeof problem> } {
  return Object.fromEntries(statuses.map((s) => [s, problem(s)])) as { [K in S]: ReturnType<typeof problem> };
}

/** What a route that reads a key can answer before its handler runs. */
export const keyProblems = problems(401, 403, 429);
/** What a route that reads a JSON body can answer before its handler runs. */
export const bodyProblems = problems(400, 413, 415, 422);

/**
 * The permission a route needs (src/services/people/permissions.ts), written once: the middleware that
 * enforces it and what the document says (`security`, `x-required-permission`, and the scopes and
 * roles that grant it). `"any"` lets in anyone authenticated. `body` names a JSON body, read with the
 * size, type and encoding checks before the route's schema validates it. `keyInQuery` also takes the
 * key from `?key=`, for senders whose webhook settings hold only a URL; `keepRawBody` keeps the body's
 * bytes as sent in `c.var.rawBody`.
 */
export function secured(
  needs: Permission | Permission[] | "any",
  opts: { body?: string; optionalBody?: boolean; keyInQuery?: boolean; keepRawBody?: boolean } = {},
) {
  const accepted: Requirement = needs === "any" ? "any" : Array.isArray(needs) ? needs : [needs];
  const middleware = [
    requirePermission(accepted, { queryKey: opts.keyInQuery }),
    ...(opts.body ? [checkedJsonBody(opts.body, { optional: opts.optionalBody, keepRaw: opts.keepRawBody })] : []),
  ];
  const granters = accepted === "any" ? null : grantersOf(accepted);
  return {
    middleware,
    security: (opts.keyInQuery
      ? [{ bearer: [] }, { queryKey: [] }, { session: [] }]
      : [{ bearer: [] }, { session: [] }]) as Array<Record<string, string[]>>,
    "x-required-permission": accepted === "any" ? "any" : accepted.join(" or "),
    "x-required-scope": granters ? granters.scopes.join(" or ") : "any",
    "x-roles": granters ? granters.roles.join(" or ") || "none" : "any",
  };
}

/** A path's `{id}`. */
export const idParams = (description: string) => z.object({ id: z.string().meta({ description }) });
