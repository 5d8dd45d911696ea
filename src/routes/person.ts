import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import type { Person } from "../services/person.js";

/**
 * The person behind a request, API or console: the one place that says who acted. The console signs in
 * with an API key, so today this is the key (its id and name); console accounts will answer here.
 */
export const personOf = (c: Context<AppEnv>): Person => ({
  id: `key:${c.var.principal.id}`,
  name: c.var.principal.name,
});
