import type { CountryCode } from "libphonenumber-js";
import { decodeCursor } from "../../lib/cursor.js";
import { notFound } from "../../lib/domain-error.js";
import { eraseCustomer, eraseCustomerData } from "../../services/customers/erasure.js";
import { customerProfile } from "../../services/customers/profile.js";
import { searchCustomers } from "../../services/customers/search.js";
import { customerTimeline } from "../../services/customers/timeline.js";
import { createRouter } from "../openapi.js";
import { erase, eraseData, profile, search, timeline } from "./routes.js";

export const customerRoutes = createRouter()
  .openapi(search, async (c) => {
    const { q, limit } = c.req.valid("query");
    const { db, config } = c.var.deps;
    return c.json({ items: await searchCustomers(db, q, config.PHONE_DEFAULT_REGION as CountryCode, limit) }, 200);
  })
  .openapi(profile, async (c) => {
    const { id } = c.req.valid("param");
    const found = await customerProfile(c.var.deps.db, id, c.var.deps.clock());
    if (!found) throw notFound(`No customer ${id}.`);
    if ("mergedInto" in found) {
      // A merged customer lives on in its survivor: point there (temporary, since a merge can be undone).
      c.header("location", `/v1/customers/${found.mergedInto}`);
      return c.json({ id, mergedInto: found.mergedInto }, 307);
    }
    return c.json(found, 200);
  })
  .openapi(timeline, async (c) => {
    const { id } = c.req.valid("param");
    const q = c.req.valid("query");
    const { customer, items, nextCursor } = await customerTimeline(c.var.deps.db, id, {
      ...q,
      cursor: decodeCursor(q.cursor),
    });
    if (!customer) throw notFound(`No customer ${id}.`);
    if (customer.mergedInto) {
      c.header("location", `/v1/customers/${customer.mergedInto}/timeline`);
      return c.json({ id, mergedInto: customer.mergedInto }, 307);
    }
    return c.json({ items, nextCursor }, 200);
  })
  .openapi(erase, async (c) => {
    const { id } = c.req.valid("param");
    const { db, momentScorer, momentFeed: feed, clock } = c.var.deps;
    const result = await eraseCustomer({ db, moments: momentScorer, feed }, id, clock());
    if (!result.customer) throw notFound(`No customer ${id}.`);
    // The log line is the erasure's record outside the database: replayed after restoring a backup (docs/privacy.md).
    c.var.deps.logger.info({ customerId: id, ...result }, "customer erased");
    return c.json({ erased: result }, 200);
  })
  .openapi(eraseData, async (c) => {
    const { id } = c.req.valid("param");
    const { from, to } = c.req.valid("query");
    const { db, momentScorer, momentFeed: feed } = c.var.deps;
    const result = await eraseCustomerData({ db, moments: momentScorer, feed }, id, from, to);
    // The log line is the erasure's record outside the database: replayed after restoring a backup (docs/privacy.md).
    c.var.deps.logger.info(
      { customerId: id, from: from.toISOString(), to: to.toISOString(), ...result },
      "customer data erased",
    );
    return c.json({ erased: result }, 200);
  });
