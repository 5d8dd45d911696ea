// Signatures, mobile footers and disclaimers at the end of what a sender wrote.

const delimiter = /^\s*(--|—|–|__)\s*$/;
/** "-Abhishek Kona": a dash and a name alone on the last line. */
const dashName = /^\s*-\s?\p{Lu}[\p{L}.'-]*(\s\p{Lu}[\p{L}.'-]*){0,2}\s*$/u;
/** Clients' footers: "Sent from my iPhone", "Gesendet von Outlook für Android", "Envoyé de mon iPhone", "Get Outlook for iOS". */
const mobileFooter =
  /^\s*(sent (from|with|via|using)|sent from my|get outlook for|envoyé (de|depuis)|enviado (desde|de)|inviato da|gesendet (von|mit)|von meinem .{1,40} gesendet|verzonden (vanaf|met|van)|skickat från|sendt fra|lähetetty|wysłane z|отправлено (с|из)|发自我的|從我的|iPhoneから送信)\b.{0,80}$/iu;
const signOff =
  /^\s*(thanks|thank you|many thanks|thanks again|regards|kind regards|best regards|warm regards|best|cheers|sincerely|yours sincerely|yours truly|all the best|br|merci|cordialement|bien à vous|danke|viele grüße|mit freundlichen grüßen|lg|saludos|gracias|un saludo|cordiali saluti|grazie|groeten|met vriendelijke groet)\s*[,.!]?\s*$/i;
const disclaimerStart =
  /^\s*(confidentiality notice|disclaimer|this (e-?mail|message)( and any attachments)? (is|are|may be) (confidential|intended)|the information (contained )?in this (e-?mail|message)|if you (are not|have received this) .{0,40}(intended recipient|in error))/i;

export interface SignatureParts {
  text: string[];
  signature: string[];
  disclaimer: string[];
}

/** How far from the end a footer or sign-off is looked for, in lines. */
const TAIL_LINES = 12;

/** Splits the lines a sender wrote into text, signature (sign-off, delimiter, client footer) and disclaimer. */
export function splitSignature(lines: string[]): SignatureParts {
  let own = lines;
  let disclaimer: string[] = [];
  const disclaimerAt = own.findIndex((l) => disclaimerStart.test(l));
  if (disclaimerAt > 0) {
    disclaimer = own.slice(disclaimerAt);
    own = own.slice(0, disclaimerAt);
  }
  let end = own.length;
  while (end > 0 && own[end - 1].trim() === "") end--;
  const from = Math.max(1, end - TAIL_LINES);

  let at = own.findIndex((l, i) => i > 0 && delimiter.test(l));
  if (at < 0) {
    for (let i = from; i < end; i++)
      if (mobileFooter.test(own[i])) {
        at = i;
        break;
      }
  }
  // "-Abhishek Kona" on the last line written, above any delimiter or footer.
  let last = (at < 0 ? end : at) - 1;
  while (last > 0 && own[last].trim() === "") last--;
  if (last > 0 && dashName.test(own[last])) at = last;
  if (at < 0) {
    // A sign-off near the end followed only by a few short lines (name, title, phone) is a signature.
    for (let i = from; i < end; i++) {
      const tail = own.slice(i + 1, end).filter((l) => l.trim() !== "");
      if (signOff.test(own[i]) && tail.length <= 6 && tail.every((l) => l.trim().length <= 60)) {
        at = i;
        break;
      }
    }
  }
  if (at < 0) return { text: own, signature: [], disclaimer };
  return { text: own.slice(0, at), signature: own.slice(at), disclaimer };
}
