import { Hono } from "hono";
import type { AppEnv } from "../../app-env.js";
import type { Operation } from "../../lib/openapi-registry.js";
import { requireScope } from "../../middleware/auth.js";
import { clusterMetricsText } from "../../cluster-metrics.js";

/** Prometheus text format. Under EARSHOT_WORKERS the answer covers every server process. */
export const metricsRoutes = new Hono<AppEnv>().get("/metrics", requireScope("admin"), async (c) => {
  const { registry } = c.var.deps.metrics;
  const text = (await clusterMetricsText()) ?? (await registry.metrics());
  return c.body(text, 200, { "content-type": registry.contentType });
});

export const metricsOperations: Operation[] = [
  {
    method: "get",
    path: "/metrics",
    summary: "Prometheus metrics: request rate and latency per route, ingest outcomes, analysis latency, queue depths, webhook outcomes, database errors, process memory and event-loop lag",
    tags: ["health"],
    scope: "admin",
    responses: { 200: { description: "text/plain; version=0.0.4" } },
  },
];
