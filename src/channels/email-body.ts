import { createRequire } from "node:module";
import { convert } from "html-to-text";
import { historyMarkerAt, historyStart, splitInlineAttributions } from "./email-history.js";
import { splitSignature } from "./email-signature.js";

// planer is CommonJS without types: Mailgun talon's quotation rules ported to JavaScript.
const planer = createRequire(import.meta.url)("planer") as { extractFromPlain(text: string): string };

export interface EmailParts {
  /** What the sender wrote in this message: the only part that is analysed. */
  text: string;
  /** Quoted replies and forwarded history, kept apart. */
  quoted: string;
  /** Sign-off and signature block. */
  signature: string;
  /** Legal or confidentiality boilerplate. */
  disclaimer: string;
}

/** How deep in an HTML body text is still read (mail clients nest quoted replies a few dozen levels at most). */
const MAX_HTML_DEPTH = 256;

// Tag patterns stop at the next "<" as well as at ">": with `[^>]*` each of many unclosed "<div" would
// be scanned to the end of the body, quadratic (about 27 s for 50,000 of them).
// "<p.smith@example.com>" in plain text is an address, not a paragraph: a tag name ends at a space, "/" or ">".
export const looksLikeHtml = (body: string) =>
  /<(html|body|div|p|br|table|span|blockquote)(?=[\s/>])[^<>]*>/i.test(body);

/** Tag nesting past which a body is not parsed as a document (see emailBodyToText). */
const MAX_PARSED_NESTING = 1000;

const VOID_OR_SIBLING_CLOSED = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
  "p",
  "li",
  "dt",
  "dd",
  "tr",
  "td",
  "th",
  "option",
]);

/**
 * Whether tags nest deeper than `max`, by one linear pass over them. Void elements and elements a
 * sibling closes (`<p>`, `<li>`, table cells) are not counted: sloppy but real mail leaves those open.
 */
function nestsDeeperThan(html: string, max: number): boolean {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(\/?)>/g;
  let depth = 0;
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    if (m[3] === "/" || VOID_OR_SIBLING_CLOSED.has(m[2].toLowerCase())) continue;
    depth += m[1] === "/" ? (depth > 0 ? -1 : 0) : 1;
    if (depth > max) return true;
  }
  return false;
}

/** Plain text of HTML without parsing it: tags become line breaks, common entities are decoded. */
function stripTags(html: string): string {
  return html
    .replace(/<(script|style)\b[^<>]*>[^<]*<\/\1\s*>/gi, "")
    .replace(/<[^<>]*>/g, "\n")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}

/** HTML to plain text; quoted blocks become "> " lines so the line rules below find them. */
export function emailBodyToText(body: string): string {
  if (!looksLikeHtml(body)) return body.replace(/\r\n?/g, "\n");
  // The HTML parser keeps open tags in a list it inserts at the front of: time quadratic in nesting
  // (40,000 nested tags cost a worker about 3 s). Only a hostile body nests that deep; its text is taken
  // without the document structure.
  if (nestsDeeperThan(body, MAX_PARSED_NESTING)) return stripTags(body);
  return convert(body, {
    wordwrap: false,
    // html-to-text walks the DOM recursively: a body of thousands of nested tags overflowed the stack
    // (a 500). No real e-mail nests this deep; text below the limit is left out.
    limits: { maxDepth: MAX_HTML_DEPTH },
    selectors: [
      { selector: "a", options: { ignoreHref: true } },
      { selector: "img", format: "skip" },
      // Outlook draws a rule above the quoted header block; a row of dashes is nobody's words.
      { selector: "hr", format: "skip" },
      { selector: "style", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "blockquote", format: "blockquote", options: { trimEmptyLines: true } },
    ],
  });
}

/** talon's limit: planer reads the first 1,000 lines of a body and drops the rest. */
const PLANER_MAX_LINES = 1000;
/** What planer recognises as the start of history; our markers are replaced by it before planer reads the body. */
const SPLITTER = "-----Original Message-----";

/**
 * The lines of `lines` that `kept` holds, in order (planer returns a subset of its input's lines, trimmed
 * at the ends): the indices of the kept ones.
 */
function keptIndices(lines: string[], kept: string[]): Set<number> {
  const out = new Set<number>();
  let k = 0;
  while (k < kept.length && kept[k].trim() === "") k++;
  for (let i = 0; i < lines.length && k < kept.length; i++) {
    if (lines[i].trim() === kept[k].trim()) {
      out.add(i);
      k++;
    }
  }
  return out;
}

/** Whether the next non-blank line after `i` is quoted, text, or absent. */
function nextWritten(lines: string[], i: number): "quoted" | "text" | "none" {
  for (let j = i + 1; j < lines.length; j++)
    if (lines[j].trim() !== "") return /^\s*>/.test(lines[j]) ? "quoted" : "text";
  return "none";
}

/**
 * Splits an email body (text or HTML) into the new text, quoted or forwarded history, signature and
 * disclaimer. Quotation rules are Mailgun talon's (the `planer` port), given our attribution and
 * header rules in more languages as splitters; lines planer keeps that are still quoted ("> …", an
 * inline reply) go to the history, so only what this sender wrote is analysed.
 */
export function splitEmailBody(body: string): EmailParts {
  const all = splitInlineAttributions(emailBodyToText(body).split("\n"));
  // planer reads 1,000 lines: a longer body is cut at its first history marker, and what lies past the
  // limit without one is kept as written.
  const hardCut = all.length > PLANER_MAX_LINES ? historyStart(all) : all.length;
  const lines = all.slice(0, Math.min(hardCut, PLANER_MAX_LINES));
  const rest = all.slice(lines.length, hardCut);
  const marked = lines.slice();
  const markerLines = new Set<number>();
  for (let i = 0; i < marked.length; i++) {
    const n = Math.min(historyMarkerAt(lines, i), marked.length - i);
    if (n === 0) continue;
    marked[i] = SPLITTER;
    for (let k = 0; k < n; k++) markerLines.add(i + k);
    for (let k = 1; k < n; k++) marked[i + k] = "";
    i += n - 1;
  }
  const kept = keptIndices(marked, planer.extractFromPlain(marked.join("\n")).split("\n"));
  const own: string[] = [];
  const quoted: string[] = [];
  const isQuoted = (line: string | undefined) =>
    line !== undefined && /^\s*>/.test(line) && !/^\s*>+.*<+\s*$/.test(line);
  for (let i = 0; i < lines.length; i++) {
    // A client that wraps quoted lines at ~76 characters leaves the end of a long one without its ">".
    const wrapped =
      !isQuoted(lines[i]) &&
      lines[i].trim() !== "" &&
      isQuoted(lines[i - 1]) &&
      lines[i - 1].length >= 60 &&
      nextWritten(lines, i) !== "text";
    const quotedLine = isQuoted(lines[i]) || wrapped;
    (kept.has(i) && !markerLines.has(i) && !quotedLine ? own : quoted).push(lines[i]);
  }
  // Past planer's limit only the quote markers decide; loops, not push(...lines), which overflows the stack.
  for (const line of rest) (isQuoted(line) ? quoted : own).push(line);
  for (let i = hardCut; i < all.length; i++) quoted.push(all[i]);

  const parts = splitSignature(own);
  const join = (ls: string[]) =>
    ls
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  return {
    text: join(parts.text),
    quoted: join(quoted),
    signature: join(parts.signature),
    disclaimer: join(parts.disclaimer),
  };
}
