import type { Context } from "hono";
import type { CountryCode } from "libphonenumber-js";
import type { AppEnv } from "../../app-env.js";
import {
  identityHistory,
  linkIdentifier,
  mergeManually,
  normaliseIdentifier,
  splitCustomer,
  unmergeCustomer,
} from "../../services/customers/identity-admin.js";
import { actorOf as actorRef } from "../../services/people/principal.js";
import { createRouter } from "../openapi.js";
import { history, link, merge, split, unmerge } from "./identity-routes.js";

const actorOf = (c: Context<AppEnv>) => actorRef(c.var.principal).ref;

export const customerIdentityRoutes = createRouter()
  .openapi(history, async (c) => c.json({ items: await identityHistory(c.var.deps.db, c.req.valid("param").id) }, 200))
  .openapi(unmerge, async (c) => {
    const { mergeId } = c.req.valid("json");
    return c.json(
      await unmergeCustomer(c.var.deps.db, c.req.valid("param").id, mergeId, actorOf(c), c.var.deps.clock()),
      200,
    );
  })
  .openapi(merge, async (c) => {
    const { customerId } = c.req.valid("json");
    return c.json(
      await mergeManually(c.var.deps.db, c.req.valid("param").id, customerId, actorOf(c), c.var.deps.clock()),
      200,
    );
  })
  .openapi(link, async (c) => {
    const { db, config, identityRules, clock } = c.var.deps;
    const id = normaliseIdentifier(c.req.valid("json"), config.PHONE_DEFAULT_REGION as CountryCode, "value");
    const result = await linkIdentifier(db, c.req.valid("param").id, id, identityRules, actorOf(c), clock());
    return result.linked ? c.json(result, 201) : c.json(result, 200);
  })
  .openapi(split, async (c) => {
    const input = c.req.valid("json");
    const region = c.var.deps.config.PHONE_DEFAULT_REGION as CountryCode;
    const identifiers = input.identifiers.map((i, n) => normaliseIdentifier(i, region, `identifiers.${n}.value`));
    return c.json(
      await splitCustomer(
        c.var.deps.db,
        c.req.valid("param").id,
        { ...input, identifiers },
        actorOf(c),
        c.var.deps.clock(),
      ),
      201,
    );
  });
