// Where the quoted history of an email starts, in the languages mail clients write attributions in.
// Mailgun's talon rules (through `planer`) find the rest; these cover what they miss: attributions in
// more languages and wrapped over lines, Outlook header blocks in any language, clients' separators.

/** Verbs that end an attribution ("On <date>, <who> wrote:"), by language. */
const WROTE = [
  "wrote",
  "writes",
  "a écrit",
  "schrieb",
  "escribió",
  "escreveu",
  "ha scritto",
  "scrisse",
  "schreef",
  "skrev",
  "skrev følgende",
  "kirjoitti",
  "napisał\\(a\\)",
  "napisał",
  "napisala",
  "napisal",
  "написал",
  "написала",
  "написал\\(а\\)",
  "yazdı",
  "írta",
  "scrie",
  "έγραψε",
  "写道",
  "寫道",
  "さんは書きました",
  "님이 작성",
  "napsal",
  "geschreven",
  "wrote the following",
].join("|");

// The attribution names a date or an address, so a sentence that happens to end in "wrote:" is not one.
// Some languages put the name after the verb ("skrev Test User <t@example.com>:"); then a colon ends it.
const attribution = new RegExp(
  `^\\s*[-–—]*\\s*\\S.{0,400}?(${WROTE})(\\s*[:：]?|\\s+.{0,200}[:：])\\s*[-–—]*\\s*$`,
  "iu",
);
/** Gmail's date-style attribution: "2017-11-24 16:32 GMT+01:00 Jane Doe <jane@example.com>:". */
const dateAddressColon = /^\s*\S.{0,300}<[^<>\s]+@[^<>\s]+>\s*[:：]\s*$/u;
/** The opener of an attribution written at the end of a line of text ("reply On Wed, … wrote:"). */
const inlineOpener = /^(.*?\S)\s*(-{2,}\s*)?(?<=\s|-)((On|Le|Am|El|Il|Op|Den)\s.*)$/u;
const hasDateOrAddress = /\d|@/;
/** Cheap tests run before the anchored patterns: a verb anywhere, or a line ending in ">:". */
const anyVerb = new RegExp(`(${WROTE})`, "iu");
const endsWithAddressColon = />\s*[:：]\s*$/;

/** Lines that start forwarded or quoted history by themselves. */
const separators: RegExp[] = [
  /^\s*-{2,}\s*(Original Message|Forwarded message|Reply Message|Mensaje original|Mensagem original|Ursprüngliche Nachricht|Original-Nachricht|Weitergeleitete Nachricht|Message d'origine|Message transféré|Messaggio originale|Messaggio inoltrato|Oorspronkelijk bericht|Doorgestuurd bericht|Oprindelig meddelelse|Opprinnelig melding|Ursprungligt meddelande|Alkuperäinen viesti|Wiadomość oryginalna|Исходное сообщение|Пересланное сообщение|Původní zpráva|原始邮件|原始郵件|転送されたメッセージ)\s*-{2,}\s*$/iu,
  /^\s*(Begin forwarded message|Forwarded message|Début du message réexpédié|Anfang der weitergeleiteten Nachricht|Inicio del mensaje reenviado)\s*[:：]\s*$/iu,
  /^\s*-{2,}\s*On\b.{0,300}\bwrote\s*-{2,}\s*$/i,
  /^\s*_{20,}\s*$/,
];

/** Outlook's header block: a sender line, then date, recipient or subject lines, in the client's language. */
const headerFrom =
  /^\s*\*?(From|Von|De|Fra|Från|Van|Da|Od|Feladó|Lähettäjä|Kimden|От|Від|发件人|寄件者|差出人|보낸 사람)\s*\*?\s*[:：]/iu;
const headerNext =
  /^\s*\*?(Sent|Date|To|Cc|Subject|Gesendet|Datum|An|Betreff|Envoyé|Date|À|Objet|Sendt|Til|Emne|Skickat|Till|Ämne|Verzonden|Aan|Onderwerp|Inviato|Data|A|Oggetto|Enviado|Fecha|Para|Asunto|Assunto|Wysłano|Do|Temat|Отправлено|Дата|Кому|Тема|Lähetetty|Vastaanottaja|Aihe|发送时间|日期|收件人|主题|送信日時|宛先|件名)\s*\*?\s*[:：]/iu;

/** Longest attribution that wraps over lines, in characters. */
const MAX_ATTRIBUTION = 400;

/**
 * How many lines from `i` on start quoted or forwarded history (a separator, the first line of an
 * Outlook header block, or an attribution, which may wrap over up to three lines: "Le lun. 3 mars 2025
 * à 10:15, Marie Dupont <…>" / "a écrit :"), or 0.
 */
export function historyMarkerAt(lines: string[], i: number): number {
  const line = lines[i];
  if (line.length > MAX_ATTRIBUTION * 4 || line.trim() === "") return 0;
  if (separators.some((re) => re.test(line))) return withHeaderLines(lines, i);
  if (headerFrom.test(line) && lines.slice(i + 1, i + 5).some((l) => headerNext.test(l)))
    return withHeaderLines(lines, i);
  if (headerLead.test(line) && !hasText(line)) {
    // "====" / "Message du : 12/12/2016 13:20" above "De : …": the block starts at the lead.
    let j = i;
    while (
      j + 1 < lines.length &&
      j - i < 3 &&
      (lines[j + 1].trim() === "" || headerLead.test(lines[j + 1])) &&
      !headerFrom.test(lines[j + 1])
    )
      j++;
    if (
      j + 1 < lines.length &&
      headerFrom.test(lines[j + 1]) &&
      lines.slice(j + 2, j + 6).some((l) => headerNext.test(l))
    )
      return j + 1 - i + withHeaderLines(lines, j + 1);
  }
  // The first line of an attribution names the date or the address; a wrapped one never spans a blank line.
  if (line.length > MAX_ATTRIBUTION || !hasDateOrAddress.test(line)) return 0;
  let joined = line;
  for (let k = 0; k < 3 && i + k < lines.length; k++) {
    if (k > 0 && lines[i + k].trim() === "") break;
    if (k > 0) joined += " " + lines[i + k].trim();
    if (joined.length > MAX_ATTRIBUTION) break;
    if (
      (anyVerb.test(joined) && attribution.test(joined)) ||
      (endsWithAddressColon.test(joined) && dateAddressColon.test(joined))
    )
      return k + 1;
  }
  return 0;
}

/** A separator or Outlook-style block, with the header lines that follow it ("From: …", "Date: …"). */
function withHeaderLines(lines: string[], i: number): number {
  let n = 1;
  while (i + n < lines.length && (headerFrom.test(lines[i + n]) || headerNext.test(lines[i + n]))) n++;
  return n;
}

/** A lead line is a rule, or a label and a date, never a sentence. */
const hasText = (line: string) => /[.!?]\s*$/.test(line.trim());

/** A rule or a dated "Message du : …" line just above a header block belongs to it. */
const headerLead = /^\s*([=\-_*~]{3,}|[^:：]{1,30}\s?[:：]\s.*\d.*)\s*$/u;

/**
 * Lines whose text runs into an attribution ("reply On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com
 * wrote:") split in two, so the reply stays and the attribution starts the history.
 */
export function splitInlineAttributions(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const m =
      line.length <= MAX_ATTRIBUTION && hasDateOrAddress.test(line) && anyVerb.test(line)
        ? inlineOpener.exec(line)
        : null;
    if (m && /[\p{L}\p{N}]/u.test(m[1]) && anyVerb.test(m[3]) && attribution.test(m[3]))
      out.push(m[1], (m[2] ?? "") + m[3]);
    else out.push(line);
  }
  return out;
}

/** The index of the first line that starts history, or `lines.length`. */
export function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) if (historyMarkerAt(lines, i) > 0) return i;
  return lines.length;
}
