import { Hono } from "hono";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../app-env.js";
import { migrationsApplied } from "../../db/migrate.js";
import type { Operation } from "../../lib/openapi-registry.js";

export const healthRoutes = new Hono<AppEnv>()
  .get("/healthz", (c) => c.json({ status: "ok" }))
  .get("/readyz", async (c) => {
    const checks = { database: false, migrations: false };
    try {
      await c.var.deps.db.run(sql`SELECT 1`);
      checks.database = true;
      checks.migrations = await migrationsApplied(c.var.deps.db);
    } catch (e) {
      c.var.deps.logger.warn({ err: (e as Error).message }, "readiness check failed");
    }
    // A draining process says so, so load balancers stop sending it new work.
    const draining = c.var.deps.shutdown.aborted;
    const ready = checks.database && checks.migrations && !draining;
    if (draining) return c.json({ status: "draining", checks }, 503);
    return c.json({ status: ready ? "ready" : "not ready", checks }, ready ? 200 : 503);
  });

export const healthOperations: Operation[] = [
  { method: "get", path: "/healthz", summary: "Liveness: the process is up", tags: ["health"], responses: { 200: { description: "Up" } } },
  {
    method: "get",
    path: "/readyz",
    summary: "Readiness: database reachable and migrations applied",
    tags: ["health"],
    responses: { 200: { description: "Ready" }, 503: { description: "Not ready, with the failing check" } },
  },
];
