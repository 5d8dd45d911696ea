import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import { requestContext } from "./lib/request-context.js";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./app-env.js";
import { ApiError, type ProblemCode } from "./lib/problem.js";
import { analyzeOperations, analyzeRoutes } from "./routes/analyze/index.js";
import { consoleRoutes } from "./console/routes.js";
import { docsRoutes } from "./routes/docs/index.js";
import { eventOperations, eventRoutes } from "./routes/events/index.js";
import { healthOperations, healthRoutes } from "./routes/health/index.js";
import { metricsOperations, metricsRoutes } from "./routes/metrics/index.js";
import { momentOperations, momentRoutes } from "./routes/moments/index.js";
import { webhookOperations, webhookRoutes } from "./routes/webhooks/index.js";
import { customerOperations, customerRoutes } from "./routes/customers/index.js";
import { customerIdentityOperations, customerIdentityRoutes } from "./routes/customers/identity.js";
import { interactionOperations, interactionRoutes } from "./routes/interactions/index.js";

const operations = [...interactionOperations, ...eventOperations, ...customerOperations, ...customerIdentityOperations, ...momentOperations, ...webhookOperations, ...analyzeOperations, ...healthOperations, ...metricsOperations];

/** Builds the whole HTTP app from its dependencies; the server and the tests build it the same way. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.use(requestId({ limitLength: 128 }));
  app.use((c, next) =>
    // Everything logged while this request is served carries its id (see lib/logger.ts).
    requestContext.run({ requestId: c.var.requestId }, async () => {
      c.set("deps", deps);
      const started = performance.now();
      await next();
      // While draining, each response tells its client to reconnect elsewhere.
      if (deps.shutdown.aborted) c.header("connection", "close");
      const ms = performance.now() - started;
      // The matched pattern ("/v1/customers/:id"), not the path: ids stay out of labels and logs.
      const matched = routePath(c, -1);
      const route = matched === "/*" || matched === "*" ? "unmatched" : matched;
      deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
      deps.metrics.httpDuration.observe({ method: c.req.method, route }, ms / 1000);
      deps.logger.info({ method: c.req.method, route, status: c.res.status, ms: Math.round(ms * 10) / 10 }, "request");
    }),
  );
  app.use(secureHeaders());

  app.route("/", healthRoutes);
  app.route("/", metricsRoutes);
  app.route("/", docsRoutes(operations, "0.1.0"));
  app.route("/v1/interactions", interactionRoutes);
  app.route("/v1/events", eventRoutes);
  app.route("/v1/customers", customerRoutes);
  app.route("/v1/customers", customerIdentityRoutes);
  app.route("/v1/analyze", analyzeRoutes);
  app.route("/v1/moments", momentRoutes);
  app.route("/v1/webhooks", webhookRoutes);
  app.route("/console", consoleRoutes);
  app.get("/", (c) => c.redirect("/console", 302));

  app.notFound((c) => problem(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof HTTPException) {
      const code = (Object.entries({ 400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 413: "payload_too_large", 415: "unsupported_media_type" }).find(
        ([s]) => Number(s) === err.status,
      )?.[1] ?? "bad_request") as ProblemCode;
      return problem(c, new ApiError(code, err.message));
    }
    deps.logger.error({ err: { message: err.message, stack: err.stack } }, "unhandled error");
    return problem(c, new ApiError("internal", "Something went wrong on our side; the request id identifies it in the logs."));
  });
  return app;
}

function problem(c: import("hono").Context<AppEnv>, err: ApiError) {
  const body = err.toBody({ instance: c.req.path, requestId: c.var.requestId });
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
  return c.body(JSON.stringify(body), err.status as 400, { "content-type": "application/problem+json" });
}

export type App = ReturnType<typeof createApp>;
