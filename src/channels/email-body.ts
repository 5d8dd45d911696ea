import { convert } from "html-to-text";

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
const looksLikeHtml = (body: string) => /<(html|body|div|p|br|table|span|blockquote)\b[^<>]*>/i.test(body);

/** Tag nesting past which a body is not parsed as a document (see emailBodyToText). */
const MAX_PARSED_NESTING = 1000;

const VOID_OR_SIBLING_CLOSED = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option"]);

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
      { selector: "style", format: "skip" },
      { selector: "script", format: "skip" },
      { selector: "blockquote", format: "blockquote", options: { trimEmptyLines: true } },
    ],
  });
}

// A line that starts the quoted history: everything from it on is somebody else's earlier text.
const historyStarts: RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^\s*Am\b.{0,300}\bschrieb\b.*:\s*$/i,
  /^\s*El\b.{0,300}\bescribió:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Forwarded message|Mensaje original)\s*-{2,}\s*$/i,
  /^\s*Begin forwarded message:\s*$/i,
  /^\s*_{10,}\s*$/,
  /^\s*>/,
];
// Outlook-style header block: "From: ..." followed shortly by "Sent:"/"Date:" and "To:"/"Subject:".
const outlookFrom = /^\s*\*?From:\*?\s+\S/i;
const outlookNext = /^\s*\*?(Sent|Date|To|Subject|Cc):\*?\s/i;

const signatureDelimiter = /^\s*--\s*$/;
const signOff =
  /^\s*(thanks|thank you|many thanks|thanks again|regards|kind regards|best regards|warm regards|best|cheers|sincerely|yours sincerely|yours truly|all the best|br|sent from my \w+.*|get outlook for \w+.*)\s*[,.!]?\s*$/i;
const disclaimerStart =
  /^\s*(confidentiality notice|disclaimer|this (e-?mail|message)( and any attachments)? (is|are|may be) (confidential|intended)|the information (contained )?in this (e-?mail|message)|if you (are not|have received this) .{0,40}(intended recipient|in error))/i;

/** Splits an email body (text or HTML) into new text, quoted history, signature and disclaimer. */
export function splitEmailBody(body: string): EmailParts {
  const lines = emailBodyToText(body).split("\n");

  let historyAt = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const twoLineAttribution = /^\s*On\b/i.test(line) && /\bwrote:\s*$/i.test(lines[i + 1] ?? "") && line.length < 200;
    const outlook = outlookFrom.test(line) && lines.slice(i + 1, i + 4).some((l) => outlookNext.test(l));
    if (historyStarts.some((re) => re.test(line)) || twoLineAttribution || outlook) {
      historyAt = i;
      break;
    }
  }
  const quoted = lines.slice(historyAt);
  let own = lines.slice(0, historyAt);

  let disclaimer: string[] = [];
  const disclaimerAt = own.findIndex((l) => disclaimerStart.test(l));
  if (disclaimerAt > 0) {
    disclaimer = own.slice(disclaimerAt);
    own = own.slice(0, disclaimerAt);
  }

  let signature: string[] = [];
  const delimiterAt = own.findIndex((l) => signatureDelimiter.test(l));
  if (delimiterAt >= 0) {
    signature = own.slice(delimiterAt);
    own = own.slice(0, delimiterAt);
  } else {
    // A sign-off near the end followed only by a few short lines (name, title, phone) is a signature.
    for (let i = Math.max(1, own.length - 10); i < own.length; i++) {
      const tail = own.slice(i + 1).filter((l) => l.trim() !== "");
      if (signOff.test(own[i]) && tail.length <= 6 && tail.every((l) => l.trim().length <= 60)) {
        signature = own.slice(i);
        own = own.slice(0, i);
        break;
      }
    }
  }

  const join = (ls: string[]) => ls.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return { text: join(own), quoted: join(quoted), signature: join(signature), disclaimer: join(disclaimer) };
}
