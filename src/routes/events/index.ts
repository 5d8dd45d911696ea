import { readEvent } from "../../services/records.js";
import { createRouter } from "../openapi.js";
import { respondBatch, respondCreated } from "../record-routes.js";
import { createBatch, createOne, getOne } from "./routes.js";

export const eventRoutes = (batchMaxItems: number) =>
  createRouter()
    .openapi(createOne, async (c) =>
      respondCreated(c, "/v1/events", await c.var.deps.ingest.ingestOne("event", c.req.valid("json"))),
    )
    .openapi(createBatch(batchMaxItems), async (c) =>
      respondBatch(c, await c.var.deps.ingest.ingestMany("event", c.req.valid("json").items)),
    )
    .openapi(getOne, async (c) => c.json(await readEvent(c.var.deps.db, c.req.valid("param").id), 200));
