import { createRoute } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { migrationsApplied } from "../../db/migrate.js";
import { createRouter, json } from "../openapi.js";

const tags = ["health"];
const readiness = z.object({
  status: z.enum(["ready", "not ready", "draining"]),
  checks: z.object({ database: z.boolean(), migrations: z.boolean() }),
});

const live = createRoute({
  method: "get",
  path: "/healthz",
  tags,
  summary: "Liveness: the process is up",
  responses: { 200: json(z.object({ status: z.literal("ok") }), "Up") },
});

const ready = createRoute({
  method: "get",
  path: "/readyz",
  tags,
  summary: "Readiness: database reachable and migrations applied",
  responses: { 200: json(readiness, "Ready"), 503: json(readiness, "Not ready (with the failing check), or draining") },
});

export const healthRoutes = createRouter()
  .openapi(live, (c) => c.json({ status: "ok" as const }, 200))
  .openapi(ready, async (c) => {
    const checks = { database: false, migrations: false };
    try {
      await c.var.deps.db.run(sql`SELECT 1`);
      checks.database = true;
      checks.migrations = await migrationsApplied(c.var.deps.db);
    } catch (e) {
      c.var.deps.logger.warn({ err: (e as Error).message }, "readiness check failed");
    }
    // A draining process says so, so load balancers stop sending it new work.
    if (c.var.deps.shutdown.aborted) return c.json({ status: "draining" as const, checks }, 503);
    return checks.database && checks.migrations
      ? c.json({ status: "ready" as const, checks }, 200)
      : c.json({ status: "not ready" as const, checks }, 503);
  });
