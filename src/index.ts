import { ConfigError, loadConfig, type Config } from "./config.js";
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
const server = await startServer(config);
server.runtime.logger.info({ url: server.url }, "earshot listening");
stopOnSignals(server);
