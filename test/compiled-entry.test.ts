import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compiledEntry } from "../src/workers/compiled-entry.js";

const root = new URL("../", import.meta.url);

describe("compiled worker entries", () => {
  it("bundles a TypeScript entry into node_modules/.cache once per version, and leaves JavaScript alone", () => {
    const entry = new URL("src/workers/jsonl-worker.ts", root);
    const first = compiledEntry(entry, root);
    expect(fileURLToPath(first)).toMatch(/node_modules\/\.cache\/earshot\/jsonl-worker-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(first)).toBe(true);
    // Plain JavaScript with the project's imports left to node_modules.
    const code = readFileSync(first, "utf8");
    expect(code).toMatch(/from "zod"/);
    expect(code).not.toMatch(/: string\b/);
    expect(compiledEntry(entry, root).href).toBe(first.href);
    const js = new URL("build/src/workers/jsonl-worker.js", root);
    expect(compiledEntry(js, root)).toBe(js);
  });
});
