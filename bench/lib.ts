// What the benches share: starting the server as `npm start` does, clients that post to it, the
// texts they send, and the CPU and memory of its processes read from Linux /proc.
export * from "./lib/clients.js";
export * from "./lib/corpus.js";
export * from "./lib/proc-stats.js";
export { root } from "./lib/root.js";
export * from "./lib/servers.js";
