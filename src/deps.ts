import cluster from "node:cluster";
import type { CountryCode } from "libphonenumber-js";
import type { AppDeps } from "./app-env.js";
import type { Config } from "./config.js";
import { localDbPath, openDb, type Db } from "./db/client.js";
import { WalCheckpointer } from "./db/wal-checkpointer.js";
import { SearchIndexer } from "./services/search-indexer.js";
import { runMigrations } from "./db/migrate.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { Metrics } from "./lib/metrics.js";
import { RateLimiter } from "./services/rate-limiter.js";
import { AuthFailures } from "./services/auth-failures.js";
import { ApiKeyVerifier, ensureAdminKey } from "./services/api-keys.js";
import { PasswordHasher } from "./services/people/passwords.js";
import { OidcSignIn, oidcSettings } from "./services/people/oidc.js";
import { IngestService } from "./services/ingest/ingest-service.js";
import { IngestWriter } from "./services/ingest/writer.js";
import { loadIdentityRules } from "./services/identity/rules.js";
import { join } from "node:path";
import { complaintFileSchema } from "./analysis/lexicon-schema.js";
import { defaultLexiconDir, loadPiiRules, loadRuleFile } from "./services/lexicons.js";
import { loadMomentRules } from "./services/moments/rules.js";
import { MomentScorer } from "./services/moments/scoring.js";
import { CalibrationState } from "./services/calibration/state.js";
import { BackgroundJobs } from "./services/reanalysis/background.js";
import { QuietCloser } from "./services/conversations/quiet-close.js";
import { unfinishedJobs } from "./services/reanalysis/job.js";
import { ReanalysisRunner } from "./services/reanalysis/runner.js";
import { MomentQueue } from "./services/moments/queue.js";
import { QuietSweep } from "./services/moments/quiet-sweep.js";
import { MomentEventFeed } from "./services/moments/event-feed.js";
import { LiveStreams } from "./services/live-streams.js";
import { DeliveryWorker } from "./services/webhooks/delivery-worker.js";
import type { HostResolver } from "./services/webhooks/ssrf.js";
import { startAnalyzer } from "./workers/start-analyzer.js";
import { inProcessDashboards, WorkerDashboards } from "./workers/dashboard-pool.js";

export interface Runtime extends AppDeps {
  writer: IngestWriter;
  momentQueue: MomentQueue;
  deliveries: DeliveryWorker;
  /** Closes conversations after CONVERSATION_QUIET_MINUTES without a turn. */
  quietCloser: QuietCloser;
  /** Closes moments that had no new signal for MOMENT_QUIET_CLOSE_HOURS (started by the server). */
  quietSweep: QuietSweep;
  /** Tells long-lived responses (live streams) to end: the process is shutting down. */
  beginShutdown(): void;
  /** Finishes queued writes and moment scoring, sends due webhooks (bounded), closes the database. */
  close(): Promise<void>;
}

/** Opens the database, applies migrations, loads lexicons and wires the services. */
export async function createRuntime(
  config: Config,
  opts: {
    logger?: Logger;
    lexiconDir?: string;
    clock?: () => Date;
    resolveHost?: HostResolver;
    resumeJobs?: boolean;
  } = {},
): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db: Db = await openDb({
    url: config.DATABASE_URL,
    authToken: config.DATABASE_AUTH_TOKEN,
    ...(config.DATABASE_REPLICA_URL ? { replicaUrl: config.DATABASE_REPLICA_URL } : {}),
    busyDeadlineMs: config.DATABASE_BUSY_TIMEOUT_MS,
  });
  await runMigrations(db);
  // Under EARSHOT_WORKERS the primary has judged and stored the key before forking (src/cluster.ts).
  if (config.EARSHOT_ADMIN_KEY && !cluster.isWorker) await ensureAdminKey(db, config.EARSHOT_ADMIN_KEY);
  const batchAnalyzer = await startAnalyzer(config, opts.lexiconDir);
  const identityRules = loadIdentityRules(opts.lexiconDir);
  const clock = opts.clock ?? (() => new Date());
  const momentRules = loadMomentRules(opts.lexiconDir);
  const moments = new MomentScorer(db, momentRules.rules, momentRules.version, clock);
  const complaintThreshold = loadRuleFile(
    join(opts.lexiconDir ?? defaultLexiconDir, "complaint.json"),
    complaintFileSchema,
  ).data.threshold;
  // The calibration an admin activated is in force from the first record this process stores.
  const calibration = new CalibrationState(
    db,
    { complaintThreshold, momentRules: momentRules.rules, momentRulesVersion: momentRules.version },
    moments,
  );
  await calibration.refresh();
  calibration.start();
  let deliveries: DeliveryWorker | undefined;
  let momentQueue: MomentQueue | undefined;
  const writer = new IngestWriter(db, identityRules, {
    scoreMoments: (tx, items) => moments.scoreInTransaction(tx, items),
    onDeliveriesQueued: () => deliveries?.nudge(),
    onScoringDeferred: (items, error) => {
      logger.error(
        { err: (error as Error)?.message ?? String(error), records: items.length },
        "moment scoring failed; the records wait in the scoring backlog",
      );
      metrics.momentScoringDeferred.inc(items.length);
      momentQueue?.enqueue(items);
    },
  });
  const metrics = new Metrics({
    writerQueued: () => writer.queued,
    momentQueued: () => momentQueue?.queued ?? 0,
    analysisInFlight: () => batchAnalyzer.inFlight ?? 0,
    outboxPending: async () =>
      Number(
        (await db.$client.execute("SELECT count(*) AS n FROM webhook_deliveries WHERE status = 'pending'")).rows[0].n,
      ),
    scoringBacklog: async () =>
      Number((await db.$client.execute("SELECT count(*) AS n FROM scoring_backlog")).rows[0].n),
    searchIndexPending: async () =>
      Number((await db.$client.execute("SELECT count(*) AS n FROM interactions_fts_pending")).rows[0].n),
  });
  db.writeLock.observer = {
    busyRetry: () => metrics.dbBusyRetries.inc(),
    error: (kind) => metrics.dbErrors.inc({ kind }),
  };
  const dbPath = localDbPath(config.DATABASE_URL);
  const checkpointer =
    dbPath && config.DATABASE_CHECKPOINT_INTERVAL_MS > 0
      ? new WalCheckpointer({
          url: config.DATABASE_URL,
          walPath: `${dbPath}-wal`,
          writeLock: db.writeLock,
          logger,
          metrics,
          intervalMs: config.DATABASE_CHECKPOINT_INTERVAL_MS,
        })
      : undefined;
  const pii = loadPiiRules(opts.lexiconDir);
  deliveries = new DeliveryWorker(db, logger, {
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_NETWORKS,
    resolveHost: opts.resolveHost,
    metrics,
    consoleUrl: config.CONSOLE_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    pii,
  });
  momentQueue = new MomentQueue(moments, logger, () => deliveries.nudge());
  const quietSweep = new QuietSweep(db, {
    quietMs: config.MOMENT_QUIET_CLOSE_HOURS * 3_600_000,
    intervalMs: config.MOMENT_SWEEP_INTERVAL_MS,
    clock,
    logger,
    onClosed: (queued) => queued && deliveries.nudge(),
  });
  // Records whose scoring a previous run deferred (it failed in their ingest transaction) and did not
  // retry before it stopped are scored now.
  const unscored = await moments.backlog();
  if (unscored.length) {
    logger.warn({ records: unscored.length }, "scoring records left unscored by the previous run");
    momentQueue.enqueue(unscored);
  }
  const ingest = new IngestService({
    analyzer: batchAnalyzer,
    writer,
    identityRules,
    phoneRegion: config.PHONE_DEFAULT_REGION as CountryCode,
    redactPii: config.REDACT_PII,
    pii,
    metrics,
    calibrate: calibration.apply,
  });
  // Re-analysis backs off while records wait for the writer, live analyses wait on the workers (the job
  // awaits its own before it asks) or live write latency rises; it keeps a minimum share of the time.
  const reanalysis = new ReanalysisRunner({
    db,
    analyzer: batchAnalyzer,
    calibrate: calibration.apply,
    scorer: moments,
    clock,
    logger,
    busy: () => writer.queued > 0 || (batchAnalyzer.inFlight ?? 0) > 0,
    liveP99: () => metrics.liveWrites.p99(),
  });
  const jobs = new BackgroundJobs(reanalysis, logger);
  // A job a previous run left unfinished resumes after its last committed page.
  if (opts.resumeJobs !== false) for (const id of await unfinishedJobs(db)) jobs.enqueue(id);
  const quietCloser = new QuietCloser(
    { db, ingest, scorer: moments },
    {
      quietMinutes: config.CONVERSATION_QUIET_MINUTES,
      intervalMs: config.CONVERSATION_SWEEP_INTERVAL_MS,
      batch: config.CONVERSATION_SWEEP_BATCH,
      clock,
      logger,
    },
  );
  quietCloser.start();
  const searchIndexer = new SearchIndexer(db, logger, config.SEARCH_INDEX_INTERVAL_MS, (rows) =>
    metrics.searchIndexed.inc(rows),
  );
  searchIndexer.start();
  const dashboards = dbPath && config.DASHBOARD_WORKER ? new WorkerDashboards(dbPath) : inProcessDashboards(db);
  const momentFeed = new MomentEventFeed(db);
  await momentFeed.start();
  const liveStreams = new LiveStreams(db, { maxPerKey: config.STREAMS_PER_KEY });
  const shutdown = new AbortController();
  // Live streams wake up to end themselves as soon as shutdown begins.
  shutdown.signal.addEventListener("abort", () => {
    momentFeed.stop();
    liveStreams.endAll();
  });
  return {
    config,
    db,
    shutdown: shutdown.signal,
    beginShutdown: () => shutdown.abort(),
    analyzer: batchAnalyzer,
    dashboards,
    logger,
    metrics,
    rateLimiter: new RateLimiter(
      config.RATE_LIMIT_PER_SECOND / config.EARSHOT_WORKERS,
      Math.max(1, Math.ceil(config.RATE_LIMIT_BURST / config.EARSHOT_WORKERS)),
    ),
    // Per process, like the rate limiter: with EARSHOT_WORKERS an address may fail that often on each.
    authFailures: new AuthFailures({
      limit: config.AUTH_FAILURE_LIMIT,
      windowMs: config.AUTH_FAILURE_WINDOW_SECONDS * 1000,
    }),
    keys: new ApiKeyVerifier(db),
    passwords: new PasswordHasher({
      memoryKib: config.PASSWORD_HASH_MEMORY_KIB,
      passes: config.PASSWORD_HASH_PASSES,
      concurrency: config.PASSWORD_HASH_CONCURRENCY,
    }),
    oidc: oidcFor(config),
    identityRules,
    maskRules: config.REDACT_PII ? pii : undefined,
    piiRules: pii,
    clock,
    resolveHost: opts.resolveHost,
    momentScorer: moments,
    flagThresholds: () => calibration.thresholds(),
    calibration,
    reanalysis,
    jobs,
    momentFeed,
    liveStreams,
    momentQueue,
    quietSweep,
    ackTargets: config.MOMENT_ACK_TARGET_MINUTES,
    deliveries,
    quietCloser,
    ingest,
    writer,
    async close() {
      shutdown.abort();
      calibration.stop();
      await jobs.stop();
      await quietCloser.stop();
      await quietSweep.stop();
      await writer.idle();
      await momentQueue.idle();
      await deliveries.drain();
      await searchIndexer.stop();
      await batchAnalyzer.close();
      await dashboards.close();
      await checkpointer?.stop();
      db.$client.close();
    },
  };
}

function oidcFor(config: Config) {
  const settings = oidcSettings(config);
  return settings ? new OidcSignIn(settings) : undefined;
}
