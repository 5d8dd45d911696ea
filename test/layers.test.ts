import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// The dependency rules of docs/architecture.md, checked on every import of every source file
// (static, dynamic and type-only, read by TypeScript's own pre-processor).

const root = resolve(import.meta.dirname, "..");

/** Where below the HTTP layer nothing may reach: the routes, the console, middleware and the app. */
const HTTP_MODULES = [
  "src/routes/",
  "src/console/",
  "src/middleware/",
  "src/app.ts",
  "src/app-env.ts",
  "src/lib/problem.ts",
];
const HTTP_PACKAGES = /^(hono|@hono\/)/;
/** What the pure folders (the analysis engine, journey scoring) may use besides themselves: no I/O, no database, no HTTP. */
const PURE_PACKAGES = new Set([
  "zod",
  "compromise",
  "natural/lib/natural/stemmers/porter_stemmer.js",
  "@eslint-community/regexpp",
  "eld/extrasmall",
  "@node-rs/jieba",
  "@node-rs/jieba/dict.js",
  "opencc-js/t2cn",
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(e.name) ? [path] : [];
  });
}

/** Each import of a file: the specifier and, for a relative one, the repository path it names. */
function importsOf(file: string, text = readFileSync(join(root, file), "utf8")) {
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: spec }) => ({
    spec,
    target: spec.startsWith(".") ? relative(root, resolve(root, dirname(file), spec)).replace(/\.js$/, ".ts") : null,
  }));
}

/** The imports of `file` that reach the HTTP layer, as "file → specifier". */
function httpImports(file: string, text?: string): string[] {
  return importsOf(file, text)
    .filter(({ spec, target }) =>
      target ? HTTP_MODULES.some((m) => target === m || target.startsWith(m)) : HTTP_PACKAGES.test(spec),
    )
    .map(({ spec }) => `${file} → ${spec}`);
}

/** The imports of a file in a pure folder that leave it. */
function impureImports(file: string, text?: string): string[] {
  // The pure folder is the top one (src/analysis/, src/journeys/): its subfolders may import each other.
  const folder = `${file.split("/").slice(0, 2).join("/")}/`;
  return importsOf(file, text)
    .filter(({ spec, target }) => (target ? !target.startsWith(folder) : !PURE_PACKAGES.has(spec)))
    .map(({ spec }) => `${file} → ${spec}`);
}

const domainFiles = ["src/services", "src/db", "src/workers", "src/journeys", "src/channels"].flatMap(sourceFiles);

describe("layers", () => {
  it("keeps services, the database layer and workers free of HTTP: no routes, console, middleware, Hono or ApiError", () => {
    expect(domainFiles.length).toBeGreaterThan(40);
    expect(domainFiles.flatMap((f) => httpImports(f))).toEqual([]);
  });

  it("has them refuse work with DomainError, never an HTTP error", () => {
    const throwsHttp = domainFiles.filter((f) =>
      /\b(ApiError|HTTPException)\b/.test(readFileSync(join(root, f), "utf8")),
    );
    expect(throwsHttp).toEqual([]);
  });

  it("keeps src/analysis/ and src/journeys/ pure: each imports only itself and its text libraries", () => {
    const files = ["src/analysis", "src/journeys"].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(10);
    expect(files.flatMap((f) => impureImports(f))).toEqual([]);
  });

  it("sees every kind of import that would break the rules", () => {
    const leak = [
      'import { x } from "../../routes/customers/routes.js";',
      'import type { AppEnv } from "../../app-env.js";',
      'const { ApiError } = await import("../../lib/problem.js");',
      'export { secured } from "../../routes/openapi.js";',
      'import { HTTPException } from "hono/http-exception";',
    ].join("\n");
    expect(httpImports("src/services/ingest/example.ts", leak)).toHaveLength(5);
    expect(
      httpImports("src/services/ingest/example.ts", 'import { notFound } from "../../lib/domain-error.js";'),
    ).toEqual([]);
    expect(
      impureImports(
        "src/analysis/example.ts",
        'import { readFileSync } from "node:fs";\nimport { db } from "../db/client.js";',
      ),
    ).toHaveLength(2);
  });
});
