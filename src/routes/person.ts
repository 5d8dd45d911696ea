import type { Context } from "hono";
import type { AppEnv } from "../app-env.js";
import { actorOf } from "../services/people/principal.js";
import type { Person } from "../services/person.js";

/** The person behind a request, API or console: a signed-in person (`user:<id>`) or a system's key (`key:<id>`). */
export const personOf = (c: Context<AppEnv>): Person => {
  const actor = actorOf(c.var.principal);
  return { id: actor.ref, name: actor.name };
};
