import cluster from "node:cluster";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { runClusterPrimary } from "./cluster.js";
import { startServer, stopOnSignals } from "./server.js";

// Production start: migrations applied, no sample data. See src/cli.ts for the demo.
let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}
try {
  if (config.EARSHOT_WORKERS > 1 && cluster.isPrimary) {
    await runClusterPrimary(config);
  } else {
    const server = await startServer(config);
    if (!cluster.isWorker) server.runtime.logger.info({ url: server.url }, "earshot listening");
    stopOnSignals(server);
  }
} catch (e) {
  // Settings judged at start-up (a guessable EARSHOT_ADMIN_KEY) stop it like a bad value does.
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(2);
}
