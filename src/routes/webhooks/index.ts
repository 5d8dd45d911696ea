import { randomBytes } from "node:crypto";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env.js";
import { webhookEventTypes } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { ApiError } from "../../lib/problem.js";
import { requireScope } from "../../middleware/auth.js";
import { readValidBody } from "../../middleware/json-body.js";
import { assertSafeWebhookUrl, UnsafeWebhookUrl } from "../../services/webhooks/ssrf.js";

const registerSchema = z.object({
  url: z.url("must be a URL").max(2000),
  events: z.array(z.enum(webhookEventTypes, `must be one of ${webhookEventTypes.join(", ")}`)).min(1).max(webhookEventTypes.length),
});

type Row = Record<string, string | number | null>;

export const webhookRoutes = new Hono<AppEnv>()
  .post("/", requireScope("admin"), async (c) => {
    const { db, config, clock, resolveHost } = c.var.deps;
    const input = await readValidBody(c, registerSchema, "webhook");
    try {
      await assertSafeWebhookUrl(input.url, { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS, resolve: resolveHost });
    } catch (e) {
      if (e instanceof UnsafeWebhookUrl) throw new ApiError("validation_failed", `The URL ${e.message}.`, [{ field: "url", pointer: "/url", message: e.message }]);
      throw e;
    }
    const id = newId("whk");
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    await db.write(({ client }) => client.execute({ sql: "INSERT INTO webhooks (id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)", args: [id, input.url, JSON.stringify([...new Set(input.events)]), secret, clock().getTime()] }));
    return c.json({ id, url: input.url, events: input.events, secret }, 201);
  })
  .get("/", requireScope("admin"), async (c) => {
    const rows = (await c.var.deps.db.$client.execute("SELECT id, url, events, created_at, disabled_at FROM webhooks ORDER BY created_at")).rows as unknown as Row[];
    return c.json({ items: rows.map((r) => ({ id: r.id, url: r.url, events: JSON.parse(String(r.events)), createdAt: new Date(Number(r.created_at)).toISOString(), disabled: r.disabled_at !== null })) });
  })
  .delete("/:id", requireScope("admin"), async (c) => {
    const { db } = c.var.deps;
    const r = await db.write(({ client }) => client.execute({ sql: "UPDATE webhooks SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL", args: [c.var.deps.clock().getTime(), c.req.param("id")] }));
    if (r.rowsAffected === 0) throw new ApiError("not_found", `No active webhook ${c.req.param("id")}.`);
    return c.body(null, 204);
  })
  .get("/:id/deliveries", requireScope("admin"), async (c) => {
    const status = c.req.query("status");
    const rows = (await c.var.deps.db.$client.execute({
      sql: `SELECT id, event_type, status, attempts, last_status, last_error, created_at, delivered_at, next_attempt_at FROM webhook_deliveries WHERE webhook_id = ? ${status ? "AND status = ?" : ""} ORDER BY created_at DESC LIMIT 200`,
      args: status ? [c.req.param("id"), status] : [c.req.param("id")],
    })).rows as unknown as Row[];
    const iso = (v: string | number | null) => (v === null ? null : new Date(Number(v)).toISOString());
    return c.json({
      items: rows.map((r) => ({ id: r.id, eventType: r.event_type, status: r.status, attempts: r.attempts, lastStatus: r.last_status, lastError: r.last_error, createdAt: iso(r.created_at), deliveredAt: iso(r.delivered_at), nextAttemptAt: r.status === "pending" ? iso(r.next_attempt_at) : null })),
    });
  });

export const webhookOperations: Operation[] = [
  { method: "post", path: "/v1/webhooks", summary: "Register a webhook endpoint for moment.flagged, moment.escalated, moment.resolved, interaction.analyzed", description: "Deliveries follow Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). The signing secret is returned once. URLs resolving to any non-public address (private, loopback, link-local, CGNAT, multicast, reserved, and IPv6 forms carrying one) are refused unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true; every delivery is checked again and connects only to the address checked.", tags: ["webhooks"], scope: "admin", request: registerSchema, responses: { 201: { description: "Registered, with its secret" }, 422: { description: "Invalid or unsafe URL" } } },
  { method: "get", path: "/v1/webhooks", summary: "Registered webhooks", tags: ["webhooks"], scope: "admin", responses: { 200: { description: "The webhooks (no secrets)" } } },
  { method: "delete", path: "/v1/webhooks/{id}", summary: "Disable a webhook", tags: ["webhooks"], scope: "admin", responses: { 204: { description: "Disabled" } } },
  { method: "get", path: "/v1/webhooks/{id}/deliveries", summary: "Recent deliveries with status, attempts and last error", tags: ["webhooks"], scope: "admin", responses: { 200: { description: "Deliveries, newest first" } } },
];
