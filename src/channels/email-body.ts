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

const looksLikeHtml = (body: string) => /<(html|body|div|p|br|table|span|blockquote)\b[^>]*>/i.test(body);

/** HTML to plain text; quoted blocks become "> " lines so the line rules below find them. */
export function emailBodyToText(body: string): string {
  if (!looksLikeHtml(body)) return body.replace(/\r\n?/g, "\n");
  return convert(body, {
    wordwrap: false,
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
