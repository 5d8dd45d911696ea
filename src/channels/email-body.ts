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

const ENTITIES: Record<string, string> = { nbsp: " ", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", amp: "&" };
/** Tags whose end ends a line of text. */
const BLOCK = /^(p|div|br|tr|li|h[1-6]|table|ul|ol|dl|dt|dd|pre|hr|blockquote|section|article|header|footer)$/;

/**
 * Plain text of HTML without building a document, in one pass over its tags: block tags end lines,
 * `<blockquote>` depth becomes "> " marks (as the parser's conversion gives them), style, script and
 * head are dropped, common entities decoded. Linear in the body, for bodies the parser would take
 * too long over (see emailBodyToText).
 */
function flattenHtml(html: string): string {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>|<!--[\s\S]*?-->/g;
  const lines: string[] = [];
  let line = "";
  let depth = 0;
  let skipUntil: string | undefined;
  let from = 0;
  const text = (t: string) => {
    if (skipUntil) return;
    line += t.replace(/\s+/g, " ").replace(/&(nbsp|lt|gt|quot|#39|apos|amp);/g, (_, e: string) => ENTITIES[e]);
  };
  const endLine = () => {
    const t = line.trim();
    if (t !== "") lines.push("> ".repeat(depth) + t);
    line = "";
  };
  for (let m = tag.exec(html); m !== null; m = tag.exec(html)) {
    text(html.slice(from, m.index));
    from = tag.lastIndex;
    const name = m[2]?.toLowerCase();
    if (!name) continue;
    const closing = m[1] === "/";
    if (skipUntil) {
      if (closing && name === skipUntil) skipUntil = undefined;
      continue;
    }
    if (!closing && (name === "style" || name === "script" || name === "head")) {
      skipUntil = name;
      continue;
    }
    if (BLOCK.test(name)) endLine();
    if (name === "blockquote") depth = Math.max(0, depth + (closing ? -1 : 1));
  }
  text(html.slice(from));
  endLine();
  return lines.join("\n");
}

/**
 * Longest HTML body converted by html-to-text, in characters: its time grows faster than the body
 * (100,000 characters of dense blocks take ~30 ms, 480,000 about 400 ms); longer bodies are flattened.
 */
const HTML_PARSE_MAX_CHARS = 100_000;

/** HTML to plain text; quoted blocks become "> " lines so the line rules below find them. */
export function emailBodyToText(body: string): string {
  if (!looksLikeHtml(body)) return body.replace(/\r\n?/g, "\n");
  // The HTML parser keeps open tags in a list it inserts at the front of: time quadratic in nesting
  // (40,000 nested tags cost a worker about 3 s). Only a hostile body nests that deep; its text is taken
  // without the document structure.
  if (body.length > HTML_PARSE_MAX_CHARS || nestsDeeperThan(body, MAX_PARSED_NESTING)) return flattenHtml(body);
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
/**
 * How far down a body the sender's new text is looked for, in lines of text. A reply's new text sits
 * above its history or between quotes near the top; what lies below is kept with the history unread,
 * so a body of 100,000 marker-like lines costs no more than a long real thread.
 */
const SCAN_MAX_LINES = 5000;
/** The longest body split, in characters: the email contract's limit (src/contracts/interactions.ts). */
export const EMAIL_BODY_MAX_CHARS = 500_000;
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
  if (last?.body === body) return { ...last.parts };
  const parts = split(body);
  last = { body, parts };
  return { ...parts };
}

/**
 * The last body split: a raw email's body is split to choose its part (src/channels/raw-email.ts), then
 * again when the chosen one is ingested, on the same thread, one after the other.
 */
let last: { body: string; parts: EmailParts } | undefined;

function split(body: string): EmailParts {
  // Callers validate the length (a 422). Past it, and past the first SCAN_MAX_LINES lines of text,
  // nothing is read as the sender's: it is kept with the history, unread.
  const text = emailBodyToText(body.length > EMAIL_BODY_MAX_CHARS ? body.slice(0, EMAIL_BODY_MAX_CHARS) : body);
  let end = -1;
  for (let n = 0; n < SCAN_MAX_LINES && end < text.length; n++) {
    end = text.indexOf("\n", end + 1);
    if (end < 0) end = text.length;
  }
  const unread = (end < text.length ? text.slice(end + 1) : "") + body.slice(EMAIL_BODY_MAX_CHARS);
  const all = splitInlineAttributions(text.slice(0, end).split("\n"));
  // planer reads 1,000 lines: a longer body is cut at its first history marker, and what lies past the
  // limit without one goes by its quote markers.
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
  // A "> " line, not a ">>> banner <<<"; by characters, as it runs once a line of the whole body.
  const isQuoted = (line: string | undefined) => {
    const t = line?.trim();
    return t !== undefined && t[0] === ">" && t[t.length - 1] !== "<";
  };
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
  if (unread) quoted.push(unread);

  const sig = splitSignature(own);
  const join = (ls: string[]) =>
    ls
      .join("\n")
      .replace(/\n{3,}/g, "\n\n")
      .trim();
  return {
    text: join(sig.text),
    quoted: join(quoted),
    signature: join(sig.signature),
    disclaimer: join(sig.disclaimer),
  };
}
