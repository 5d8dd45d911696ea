import { fileURLToPath } from "node:url";

/** The checkout the benches run in. */
export const root = fileURLToPath(new URL("../..", import.meta.url));
