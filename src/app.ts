import type { IncomingMessage } from "node:http";
import { OpenAPIHono } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { routePath } from "hono/route";
import { requestContext } from "./lib/request-context.js";
import { secureHeaders } from "hono/secure-headers";
import type { AppDeps, AppEnv } from "./app-env.js";
import { DomainError, type DomainErrorCode } from "./lib/domain-error.js";
import { ApiError, type ProblemCode } from "./lib/problem.js";
import { analyzeRoutes } from "./routes/analyze/index.js";
import { languageRoutes } from "./routes/languages/index.js";
import { consoleRoutes } from "./console/routes.js";
import { serveDocs } from "./routes/docs/index.js";
import { eventRoutes } from "./routes/events/index.js";
import { healthRoutes } from "./routes/health/index.js";
import { metricsRoutes } from "./routes/metrics/index.js";
import { momentRoutes } from "./routes/moments/index.js";
import { defaultHook } from "./routes/openapi.js";
import { teamRoutes } from "./routes/teams/index.js";
import { identityConflictRoutes } from "./routes/identity-conflicts/index.js";
import { webhookRoutes } from "./routes/webhooks/index.js";
import { customerRoutes } from "./routes/customers/index.js";
import { customerIdentityRoutes } from "./routes/customers/identity.js";
import { interactionRoutes } from "./routes/interactions/index.js";
import { verdictRoutes } from "./routes/verdicts/index.js";
import { qualityRoutes } from "./routes/quality/index.js";
import { agentsRoutes } from "./routes/agents/index.js";
import { calibrationRoutes } from "./routes/calibrations/index.js";
import { jobRoutes } from "./routes/jobs/index.js";
import { inboundRoutes } from "./routes/inbound/index.js";
import { connectorRoutes } from "./routes/connectors/index.js";
import { withReplicaReads } from "./db/read-routing.js";
import { peopleRoutes } from "./routes/people/index.js";

/** Each domain error's problem: the one place a service's refusal becomes an HTTP status. */
const domainProblems: Record<DomainErrorCode, ProblemCode> = {
  not_found: "not_found",
  conflict: "conflict",
  invalid: "validation_failed",
  database_busy: "unavailable",
  overloaded: "unavailable",
};

function fromDomain(err: DomainError): ApiError {
  // Both are worth retrying soon: the write lock gave up after its deadline, a full queue drains.
  const headers = err.code === "database_busy" || err.code === "overloaded" ? { "retry-after": "1" } : undefined;
  return new ApiError(domainProblems[err.code], err.message, err.fields.length ? err.fields : undefined, headers);
}

/** Builds the whole HTTP app from its dependencies; the server and the tests build it the same way. */
/** Routes that take records in: the live latency background re-analysis must not double. */
const LIVE_WRITE = /^\/v1\/(interactions|events|inbound)(\/|$)/;

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook });

  app.use(requestId({ limitLength: 128 }));
  app.use((c, next) =>
    // A request that only reads may read from a replica (src/db/read-routing.ts).
    c.req.method === "GET" || c.req.method === "HEAD" ? withReplicaReads(next) : next(),
  );
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
      const aborted = c.res.status === CLIENT_CLOSED;
      deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
      deps.metrics.httpDuration.observe({ method: c.req.method, route }, ms / 1000);
      if (c.req.method === "POST" && LIVE_WRITE.test(route)) deps.metrics.liveWrites.observe(ms);
      deps.logger.info(
        {
          method: c.req.method,
          route,
          status: c.res.status,
          ms: Math.round(ms * 10) / 10,
          ...(aborted ? { aborted } : {}),
        },
        "request",
      );
    }),
  );
  app.use(secureHeaders());
  app.use(async (c, next) => {
    await next();
    // Answers hold customers' data and keys' views of it: no browser or proxy keeps a copy. Static
    // assets say how long they may be cached themselves, and keep that.
    if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
  });

  app.route("/", healthRoutes);
  app.route("/", metricsRoutes);
  app.route("/v1/interactions", interactionRoutes(deps.config.BATCH_MAX_ITEMS));
  app.route("/v1/events", eventRoutes(deps.config.BATCH_MAX_ITEMS));
  app.route("/v1/inbound", inboundRoutes);
  app.route("/v1/connectors", connectorRoutes);
  app.route("/v1/customers", customerRoutes);
  app.route("/v1/customers", customerIdentityRoutes);
  app.route("/v1/analyze", analyzeRoutes);
  app.route("/v1/languages", languageRoutes);
  app.route("/v1/moments", momentRoutes);
  app.route("/v1/webhooks", webhookRoutes);
  app.route("/v1/teams", teamRoutes);
  app.route("/v1/identity-conflicts", identityConflictRoutes);
  app.route("/v1/verdicts", verdictRoutes);
  app.route("/v1/quality", qualityRoutes);
  app.route("/v1/agents", agentsRoutes);
  app.route("/v1/calibrations", calibrationRoutes);
  app.route("/v1/jobs", jobRoutes);
  app.route("/v1", peopleRoutes);
  app.route("/console", consoleRoutes);
  // After every API route is mounted: the document is made from what the app has declared.
  serveDocs(app);
  app.get("/", (c) => c.redirect("/console", 302));

  app.notFound((c) => problem(c, new ApiError("not_found", `No route for ${c.req.method} ${c.req.path}.`)));
  app.onError((err, c) => {
    if (err instanceof ApiError) return problem(c, err);
    if (err instanceof DomainError) return problem(c, fromDomain(err));
    if (err instanceof HTTPException) {
      const code = (Object.entries({
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        413: "payload_too_large",
        415: "unsupported_media_type",
      }).find(([s]) => Number(s) === err.status)?.[1] ?? "bad_request") as ProblemCode;
      return problem(c, new ApiError(code, err.message));
    }
    // A client that hung up (or timed out) mid-body fails the body read: nothing went wrong here, and
    // nobody is left to answer.
    if (clientGone(c)) return c.body(null, CLIENT_CLOSED as 400);
    deps.logger.error({ err: { message: err.message, stack: err.stack } }, "unhandled error");
    return problem(
      c,
      new ApiError("internal", "Something went wrong on our side; the request id identifies it in the logs."),
    );
  });
  return app;
}

/** The status logged and counted for a request whose client went away before it was answered (nginx's 499). */
const CLIENT_CLOSED = 499;

/**
 * Whether the request's client closed the connection, or Node closed it on a request timeout, before
 * the request was read: @hono/node-server aborts the request's signal then, and the incoming message
 * is left incomplete and destroyed.
 */
function clientGone(c: import("hono").Context<AppEnv>): boolean {
  if (c.req.raw.signal.aborted) return true;
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return !!incoming && !incoming.complete && (incoming.destroyed || incoming.readableAborted);
}

function problem(c: import("hono").Context<AppEnv>, err: ApiError) {
  const body = err.toBody({ instance: c.req.path, requestId: c.var.requestId });
  for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
  return c.body(JSON.stringify(body), err.status as 400, { "content-type": "application/problem+json" });
}

export type App = ReturnType<typeof createApp>;
