// Worker threads do not inherit tsx's loader: register it here for a TypeScript entry (tests, the
// demo); a compiled build (`npm start`) loads its JavaScript entry directly.
import { workerData } from "node:worker_threads";

if (workerData.entry.endsWith(".ts")) {
  const { register } = await import("tsx/esm/api");
  register();
}
await import(workerData.entry);
