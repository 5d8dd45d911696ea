import { ApiError } from "../../lib/problem.js";
import {
  authenticateDelivery,
  connectorFor,
  DeliveryRefused,
  receiveDelivery,
} from "../../services/connectors/receive.js";
import { createRouter } from "../openapi.js";
import { receive } from "./routes.js";

export const connectorRoutes = createRouter().openapi(receive, async (c) => {
  const { sender } = c.req.valid("param");
  const { deps } = c.var;
  connectorFor(sender);
  const json = c.req.valid("json");
  const raw = c.var.rawBody!;
  try {
    authenticateDelivery(sender, raw, (name) => c.req.header(name), json, deps.config, deps.clock());
  } catch (e) {
    if (!(e instanceof DeliveryRefused)) throw e;
    deps.logger.warn({ sender, reason: e.reason }, "connector delivery refused");
    throw new ApiError("unauthorized", e.message);
  }
  const { key: _key, ...query } = c.req.valid("query");
  const context = {
    query: Object.fromEntries(Object.entries(query).map(([k, v]) => [k, v === undefined ? undefined : String(v)])),
  };
  return c.json(
    await receiveDelivery(
      sender,
      json,
      { db: deps.db, ingest: deps.ingest, scorer: deps.momentScorer, logger: deps.logger },
      context,
    ),
    200,
  );
});
