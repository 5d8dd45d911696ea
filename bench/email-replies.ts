// New-text extraction from email replies: Earshot beside the npm libraries, on the public reply-parser
// suites of bench/email-suites.ts, and on 1 MB pathological bodies.
//   npm run bench:email-replies [-- --cases] [-- --no-pathological]
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import EmailReplyParser from "email-reply-parser";
import { emailBodyToText, splitEmailBody } from "../src/channels/email-body.js";
import { loadReplySuites, type ReplyCase } from "./email-suites.js";

const require = createRequire(import.meta.url);
const planer = require("planer") as { extractFromPlain(text: string): string };
const nodeErp = require("node-email-reply-parser") as (text: string, visibleOnly: true) => string;

/**
 * Each extractor gets the body as the suite gives it. The libraries read plain text only, so an HTML
 * body reaches them converted by the same html-to-text step Earshot uses.
 */
export const extractors: Record<string, (body: string, html: boolean) => string> = {
  earshot: (body) => splitEmailBody(body).text,
  "email-reply-parser": (body, html) =>
    new EmailReplyParser().read(html ? emailBodyToText(body) : body).getVisibleText(),
  planer: (body, html) => planer.extractFromPlain(html ? emailBodyToText(body) : body),
  "node-email-reply-parser": (body, html) => nodeErp(html ? emailBodyToText(body) : body, true),
};

/** Line endings, trailing spaces and runs of blank lines do not count. */
export const normalise = (s: string) =>
  s
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

const lineSet = (s: string) =>
  new Set(
    normalise(s)
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.length > 0),
  );

/**
 * Whether `output` keeps text the suite says is not new (quoted history, signatures, footers): a
 * non-blank line of the body that is absent from the expected text appears in the output.
 */
function leaks(c: ReplyCase, output: string): boolean {
  const expected = lineSet(c.expected);
  const body = lineSet(c.html ? emailBodyToText(c.body) : c.body);
  const out = lineSet(output);
  for (const l of body) if (!expected.has(l) && out.has(l)) return true;
  return false;
}

const hasHistory = (c: ReplyCase) => {
  const expected = lineSet(c.expected);
  for (const l of lineSet(c.html ? emailBodyToText(c.body) : c.body)) if (!expected.has(l)) return true;
  return false;
};

interface Score {
  exact: number;
  withHistory: number;
  leaked: number;
  total: number;
  slowestMs: number;
}

function score(cases: ReplyCase[], name: string, showCases: boolean): Score {
  const s: Score = { exact: 0, withHistory: 0, leaked: 0, total: cases.length, slowestMs: 0 };
  for (const c of cases) {
    const t = performance.now();
    let out: string;
    try {
      out = extractors[name](c.body, c.html);
    } catch (e) {
      out = `(threw ${(e as Error).message})`;
    }
    s.slowestMs = Math.max(s.slowestMs, performance.now() - t);
    const ok = normalise(out) === normalise(c.expected);
    if (ok) s.exact++;
    if (hasHistory(c)) {
      s.withHistory++;
      if (leaks(c, out)) s.leaked++;
    }
    if (showCases && !ok)
      console.log(
        `  ✗ ${name} ${c.suite} / ${c.name}\n    expected ${JSON.stringify(normalise(c.expected)).slice(0, 200)}\n    got      ${JSON.stringify(normalise(out)).slice(0, 200)}`,
      );
  }
  return s;
}

const pct = (n: number, d: number) => (d === 0 ? "—" : `${((100 * n) / d).toFixed(0)}%`);

/** 1 MB bodies built to make line-scanning rules backtrack: each extractor runs in a child with a time cap. */
const PATHOLOGICAL: Record<string, string> = {
  "one 1 MB line": "On ".repeat(350_000),
  "50k quote markers": "> >\n".repeat(250_000),
  "attribution-like lines": "On Mon, Jan 1, 2024 at 10:00 AM someone\n".repeat(25_000),
  "spaces then no newline": "a" + " ".repeat(1_000_000) + "b",
};

function pathological(names: string[]) {
  console.log("\n1 MB pathological bodies (ms; each extractor in a child process, capped at 10 s):");
  console.log(["body".padEnd(24), ...names.map((n) => n.padStart(24))].join(""));
  for (const label of Object.keys(PATHOLOGICAL)) {
    const cells = names.map((name) => {
      try {
        const out = execFileSync(
          process.execPath,
          ["--import", "tsx", new URL(import.meta.url).pathname, "--one", name, label],
          { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] },
        );
        return `${Number(out.trim()).toFixed(0)}`;
      } catch {
        return "> 10000";
      }
    });
    console.log([label.padEnd(24), ...cells.map((c) => c.padStart(24))].join(""));
  }
}

function main() {
  const args = process.argv.slice(2);
  if (args[0] === "--one") {
    const t = performance.now();
    extractors[args[1]](PATHOLOGICAL[args[2]], false);
    process.stdout.write(String(performance.now() - t));
    return;
  }
  const cases = loadReplySuites(emailBodyToText);
  const suites = [...new Set(cases.map((c) => c.suite))];
  const names = Object.keys(extractors);
  console.log(
    `Email new-text extraction: ${cases.length} cases from ${suites.length} public suites (exactly right / quoted history leaked, of the cases that have any)`,
  );
  const header = ["suite".padEnd(14), "cases".padStart(6), ...names.map((n) => n.padStart(26))].join("");
  console.log(header);
  const totals = Object.fromEntries(
    names.map((n) => [n, { exact: 0, withHistory: 0, leaked: 0, total: 0, slowestMs: 0 } as Score]),
  );
  for (const suite of [...suites, "all"]) {
    const subset = suite === "all" ? cases : cases.filter((c) => c.suite === suite);
    const cells = names.map((n) => {
      const s = suite === "all" ? totals[n] : score(subset, n, args.includes("--cases"));
      if (suite !== "all") for (const k of ["exact", "withHistory", "leaked", "total"] as const) totals[n][k] += s[k];
      if (suite !== "all") totals[n].slowestMs = Math.max(totals[n].slowestMs, s.slowestMs);
      return `${pct(s.exact, s.total)} / ${pct(s.leaked, s.withHistory)}`;
    });
    console.log([suite.padEnd(14), String(subset.length).padStart(6), ...cells.map((c) => c.padStart(26))].join(""));
  }
  console.log(
    ["slowest case".padEnd(20), ...names.map((n) => `${totals[n].slowestMs.toFixed(1)} ms`.padStart(26))].join(""),
  );
  if (!args.includes("--no-pathological")) pathological(names);
}

main();
