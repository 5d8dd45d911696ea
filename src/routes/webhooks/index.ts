import { disableWebhook, listDeliveries, listWebhooks, registerWebhook } from "../../services/webhooks/registry.js";
import { createRouter } from "../openapi.js";
import { deliveries, disable, list, register } from "./routes.js";

export const webhookRoutes = createRouter()
  .openapi(register, async (c) => {
    const { db, config, clock, resolveHost } = c.var.deps;
    return c.json(
      await registerWebhook(db, c.req.valid("json"), {
        allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
        resolve: resolveHost,
        at: clock(),
        maxActive: config.WEBHOOKS_MAX,
      }),
      201,
    );
  })
  .openapi(list, async (c) => c.json({ items: await listWebhooks(c.var.deps.db) }, 200))
  .openapi(disable, async (c) => {
    await disableWebhook(c.var.deps.db, c.req.valid("param").id, c.var.deps.clock());
    return c.body(null, 204);
  })
  .openapi(deliveries, async (c) =>
    c.json({ items: await listDeliveries(c.var.deps.db, c.req.valid("param").id, c.req.valid("query").status) }, 200),
  );
