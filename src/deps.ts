import { availableParallelism } from "node:os";
import type { CountryCode } from "libphonenumber-js";
import type { AppDeps } from "./app-env.js";
import { createAnalyzer } from "./analysis/index.js";
import type { Config } from "./config.js";
import { openDb, type Db } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { createLogger, type Logger } from "./lib/logger.js";
import { ApiKeyVerifier, ensureAdminKey } from "./services/api-keys.js";
import { IngestService } from "./services/ingest/ingest-service.js";
import { IngestWriter } from "./services/ingest/writer.js";
import { loadLexicons } from "./services/lexicons.js";
import { inProcessAnalyzer, WorkerAnalyzer, type BatchAnalyzer } from "./workers/analysis-pool.js";

export interface Runtime extends AppDeps {
  writer: IngestWriter;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, loads lexicons and wires the services. */
export async function createRuntime(config: Config, opts: { logger?: Logger; lexiconDir?: string } = {}): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config.LOG_LEVEL);
  const db: Db = await openDb({ url: config.DATABASE_URL, authToken: config.DATABASE_AUTH_TOKEN });
  await runMigrations(db);
  if (config.EARSHOT_ADMIN_KEY) await ensureAdminKey(db, config.EARSHOT_ADMIN_KEY);
  const analyzer = createAnalyzer(loadLexicons(opts.lexiconDir));
  const workers = config.ANALYSIS_WORKERS ?? availableParallelism();
  const batchAnalyzer: BatchAnalyzer = workers > 0 ? new WorkerAnalyzer(analyzer.version, opts.lexiconDir, workers) : inProcessAnalyzer(analyzer);
  const writer = new IngestWriter(db);
  const ingest = new IngestService({ analyzer: batchAnalyzer, writer, phoneRegion: config.PHONE_DEFAULT_REGION as CountryCode, redactPii: config.REDACT_PII });
  return {
    config,
    db,
    analyzer,
    logger,
    keys: new ApiKeyVerifier(db),
    ingest,
    writer,
    async close() {
      await writer.idle();
      await batchAnalyzer.close();
      db.$client.close();
    },
  };
}
