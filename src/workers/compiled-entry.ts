import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/**
 * A worker entry as plain JavaScript. Under `tsx` (the CLI, the demo) a TypeScript entry is bundled
 * with esbuild (~50 ms), as `npm run build` would compile it: tsx's transform keeps function names
 * with a wrapper call for every closure created, which cost a worker thread about a third of its
 * throughput. Packages stay imports and resolve from `node_modules`, which is why the bundle is
 * written under `node_modules/.cache/earshot/`, named by its content so each version is written once.
 * A JavaScript entry (the compiled build) is returned as it is.
 */
export function compiledEntry(entry: URL, projectRoot: URL): URL {
  if (!entry.pathname.endsWith(".ts")) return entry;
  const { outputFiles } = buildSync({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    outfile: "worker.mjs",
    logLevel: "error",
  });
  const code = outputFiles[0].contents;
  const dir = new URL("node_modules/.cache/earshot/", projectRoot);
  const name = entry.pathname.split("/").pop()!.replace(/\.ts$/, "");
  const file = new URL(`${name}-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`, dir);
  try {
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed, so a concurrent run never loads a half-written file.
      const partial = `${fileURLToPath(file)}.${process.pid}.tmp`;
      writeFileSync(partial, code);
      renameSync(partial, file);
    }
  } catch {
    // A read-only node_modules: the TypeScript entry still works, only slower.
    return entry;
  }
  return file;
}
