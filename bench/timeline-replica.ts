// bench:timeline --replica: the loaded file served by an sqld primary (which writes it into its
// replication log) and synced by an sqld replica, and an Earshot runtime that reads from the replica.
import type { Client } from "@libsql/client";
import { createClient } from "@libsql/client";
import { createApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";
import { createRuntime } from "../src/deps.js";
import { createLogger } from "../src/lib/logger.js";
import { createApiKey } from "../src/services/api-keys.js";
import { startSqld, type SqldServer } from "../test/support/sqld.js";

/** Where the bench's requests go: an app and a key that may read. */
export interface Target {
  label: string;
  app: ReturnType<typeof createApp>;
  key: string;
}

/** Serves `file` (the embedded database `db` wrote) from a primary and a replica; resolves once the replica holds it all. */
export async function startReplicaTarget(opts: {
  db: Client;
  file: string;
  protocol: string;
  clock: () => Date;
}): Promise<{ target: Target; stop: () => Promise<void> }> {
  await opts.db.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  const servers: SqldServer[] = [];
  const t1 = performance.now();
  const primary = await startSqld({ grpc: true, fromFile: opts.file });
  servers.push(primary);
  const replica = await startSqld({ primaryGrpcUrl: primary.grpcUrl });
  servers.push(replica);
  const scheme = (url: string) => (opts.protocol === "ws" ? url.replace(/^http/, "ws") : url);
  const runtime = await createRuntime(
    loadConfig({
      DATABASE_URL: scheme(primary.url),
      DATABASE_REPLICA_URL: scheme(replica.url),
      LOG_LEVEL: "silent",
      ANALYSIS_WORKERS: "0",
      SEARCH_INDEX_INTERVAL_MS: "60000",
    }),
    { logger: createLogger("silent"), clock: opts.clock },
  );
  const key = (await createApiKey(runtime.db, "bench", ["read"])).key;
  // Caught up once the replica holds the key just written on the primary (the last write).
  const direct = createClient({ url: replica.url });
  for (;;) {
    const rs = await direct.execute("SELECT count(*) AS n FROM api_keys WHERE name = 'bench'");
    if (Number(rs.rows[0].n) > 1) break; // the file brought the embedded target's key
    await new Promise((r) => setTimeout(r, 200));
  }
  const counted = await direct.execute(
    "SELECT (SELECT count(*) FROM interactions) + (SELECT count(*) FROM journey_events) AS n",
  );
  direct.close();
  console.log(
    `sqld primary served the file and the replica synced ${counted.rows[0].n} records in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
  );
  return {
    target: { label: ` [replica, ${opts.protocol}]`, app: createApp(runtime), key },
    stop: async () => {
      await runtime.close();
      for (const server of servers.reverse()) await server.stop();
    },
  };
}
