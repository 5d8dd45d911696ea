import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import type { Config } from "./config.js";
import { createRuntime, type Runtime } from "./deps.js";
import type { Logger } from "./lib/logger.js";
import { joinClusterMetrics } from "./cluster-metrics.js";

export interface StartedServer {
  url: string;
  runtime: Runtime;
  stop(): Promise<void>;
}

/** Starts the HTTP server; resolves once it listens. Used by `npm start`, the demo and the benches. */
export async function startServer(config: Config, opts: { logger?: Logger } = {}): Promise<StartedServer> {
  const runtime = await createRuntime(config, opts);
  const app = createApp(runtime);
  joinClusterMetrics(runtime.metrics.registry);
  runtime.deliveries.start();
  runtime.quietSweep.start();
  // A connection's next request must be able to send its headers within the keep-alive window.
  const headersTimeout = Math.max(config.HTTP_HEADERS_TIMEOUT_MS, config.HTTP_KEEP_ALIVE_TIMEOUT_MS + 1000);
  const serverOptions = {
    headersTimeout,
    requestTimeout: Math.max(config.HTTP_REQUEST_TIMEOUT_MS, headersTimeout),
    keepAliveTimeout: config.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    // How often Node looks for connections past those timeouts (default 30 s, which would let a slow
    // client overstay them by as much).
    connectionsCheckingInterval: 1000,
  };
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, serverOptions }, (info) => {
      const http = server as import("node:http").Server;
      const host = config.HOST === "0.0.0.0" ? "127.0.0.1" : config.HOST;
      resolve({
        url: `http://${host}:${info.port}`,
        runtime,
        stop: () =>
          new Promise<void>((done) => {
            // End live streams and report "draining", stop accepting, let in-flight requests finish,
            // then flush the writer and moment scoring, send due webhooks and close the database.
            runtime.beginShutdown();
            // Keep-alive connections that go idle after their last response are closed as they do,
            // so close() does not wait out their keep-alive timeout.
            const reaper = setInterval(() => http.closeIdleConnections?.(), 50);
            server.close(async () => {
              clearInterval(reaper);
              await runtime.close();
              done();
            });
            http.closeIdleConnections?.();
          }),
      });
    });
  });
}

export function stopOnSignals(server: StartedServer) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.runtime.logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await server.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
