import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { clusterMetricsText } from "../../cluster-metrics.js";
import { createRouter, keyProblems, secured } from "../openapi.js";

const metrics = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["health"],
  summary:
    "Prometheus metrics: request rate and latency per route, ingest outcomes, analysis latency, queue depths, webhook outcomes, database errors, process memory and event-loop lag",
  ...secured("operate"),
  responses: {
    200: { description: "Prometheus text format", content: { "text/plain; version=0.0.4": { schema: z.string() } } },
    ...keyProblems,
  },
});

/** Prometheus text format. Under EARSHOT_WORKERS the answer covers every server process. */
export const metricsRoutes = createRouter().openapi(metrics, async (c) => {
  const { registry } = c.var.deps.metrics;
  const text = (await clusterMetricsText()) ?? (await registry.metrics());
  return c.text(text, 200, { "content-type": registry.contentType });
});
