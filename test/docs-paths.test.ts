import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// The docs name files and link to each other; a rename that forgets them fails here.

const root = resolve(import.meta.dirname, "..");
const docs = [
  "README.md",
  ...readdirSync(join(root, "docs"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** Repository paths written in code spans: `src/app.ts`, `test/support/`, `src/db/client.ts:42`. */
function namedPaths(text: string): string[] {
  return [...text.matchAll(/`((?:src|test|bench|docs|migrations|lexicons|sample-data|\.ci)\/[^`\s]*)`/g)]
    .map((m) => m[1].replace(/[#:].*$/, ""))
    .filter((p) => !/[<>*{}]/.test(p));
}

/** Relative Markdown links: [text](other.md), [text](adr/0001-x.md#why). */
function relativeLinks(text: string): string[] {
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1].replace(/#.*$/, ""))
    .filter((l) => l && !/^[a-z]+:/i.test(l));
}

describe("the docs", () => {
  it.each(docs)("%s names only files that exist", (doc) => {
    const text = readFileSync(join(root, doc), "utf8");
    expect(namedPaths(text).filter((p) => !existsSync(join(root, p)))).toEqual([]);
    expect(relativeLinks(text).filter((l) => !existsSync(resolve(root, dirname(doc), l)))).toEqual([]);
  });

  it("reads the paths and links a doc writes", () => {
    expect(namedPaths("see `src/db/client.ts:12`, `src/routes/<feature>/routes.ts` and `test/support/`")).toEqual([
      "src/db/client.ts",
      "test/support/",
    ]);
    expect(relativeLinks("[a](analysis.md#engine) [b](https://hono.dev) [c](#local)")).toEqual(["analysis.md"]);
  });
});
