import cluster, { type Worker } from "node:cluster";
import type { Config } from "./config.js";
import { openDb } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { createLogger } from "./lib/logger.js";
import { ensureAdminKey } from "./services/api-keys.js";
import { serveClusterMetrics } from "./cluster-metrics.js";

/**
 * The primary of `EARSHOT_WORKERS` server processes. It migrates the database once (so workers never
 * race to), starts the workers — they share the listening port through Node's cluster module and the
 * database through SQLite's file locks — replaces any that die, gathers metrics for /metrics, and on
 * SIGTERM/SIGINT passes the signal on and waits for every worker to drain.
 */
export async function runClusterPrimary(config: Config) {
  const logger = createLogger(config.LOG_LEVEL);
  const db = await openDb({
    url: config.DATABASE_URL,
    authToken: config.DATABASE_AUTH_TOKEN,
    ...(config.DATABASE_REPLICA_URL ? { replicaUrl: config.DATABASE_REPLICA_URL } : {}),
    busyDeadlineMs: config.DATABASE_BUSY_TIMEOUT_MS,
  });
  await runMigrations(db);
  if (config.EARSHOT_ADMIN_KEY) await ensureAdminKey(db, config.EARSHOT_ADMIN_KEY);
  db.$client.close();

  serveClusterMetrics();
  let stopping = false;
  const fork = () => cluster.fork({ EARSHOT_CLUSTER_WORKER: "1" });
  cluster.on("exit", (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    logger.error({ workerPid: worker.process.pid, code, signal }, "server process died; starting another");
    fork();
  });
  let listening = 0;
  cluster.on("listening", (_worker, address) => {
    if (++listening === config.EARSHOT_WORKERS)
      logger.info({ processes: config.EARSHOT_WORKERS, port: address.port }, "earshot listening");
  });
  for (let i = 0; i < config.EARSHOT_WORKERS; i++) fork();

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down server processes");
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
