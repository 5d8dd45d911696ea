import { describe, expect, it } from "vitest";
import { EMAIL_BODY_MAX_CHARS, looksLikeHtml, splitEmailBody } from "../../src/channels/email-body.js";
import { chooseBody } from "../../src/channels/raw-email.js";

// Each row: a body as a mail client writes it, the new text expected, and text that must not leak in.
const cases: Array<{ why: string; body: string; text: string; notIn?: string }> = [
  {
    why: "French attribution wrapped over two lines",
    body: "Je n'ai toujours pas reçu le remboursement.\n\nLe lun. 3 mars 2025 à 10:15, Service Client <aide@boutique.example>\na écrit :\n> Bonjour, votre remboursement est en cours.",
    text: "Je n'ai toujours pas reçu le remboursement.",
    notIn: "en cours",
  },
  {
    why: "German Outlook header block (Von/Gesendet/An/Betreff)",
    body: "Die Lieferung ist wieder nicht angekommen.\n\nVon: Kundendienst <hilfe@shop.example>\nGesendet: Montag, 3. März 2025 10:15\nAn: kunde@mail.example\nBetreff: Ihre Bestellung\n\nIhre Bestellung ist unterwegs.",
    text: "Die Lieferung ist wieder nicht angekommen.",
    notIn: "unterwegs",
  },
  {
    why: "French Outlook header block with a space before the colon",
    body: "Merci, c'est réglé.\n\nDe : Support <support@example.fr>\nEnvoyé : lundi 3 mars 2025 10:15\nÀ : client@example.fr\nObjet : Ticket 42\n\nPouvez-vous confirmer ?",
    text: "Merci, c'est réglé.",
    notIn: "confirmer",
  },
  {
    why: "Danish Outlook block (Fra/Sendt/Til/Emne)",
    body: "Tak for hjælpen.\n\nFra: Kundeservice <hjaelp@butik.example>\nSendt: 3. marts 2025 10:15\nTil: kunde@post.example\nEmne: Sag 7\n\nVi har modtaget din sag.",
    text: "Tak for hjælpen.",
    notIn: "modtaget",
  },
  {
    why: "Chinese Outlook block (发件人/发送时间)",
    body: "还是没有收到退款。\n\n发件人: 客服 <kefu@shop.example>\n发送时间: 2025年3月3日 10:15\n收件人: guke@mail.example\n主题: 退款\n\n退款正在处理中。",
    text: "还是没有收到退款。",
    notIn: "处理中",
  },
  {
    why: "Russian Outlook block (От/Отправлено)",
    body: "Деньги так и не вернули.\n\nОт: Поддержка <help@shop.example>\nОтправлено: 3 марта 2025 г. 10:15\nКому: client@mail.example\nТема: Возврат\n\nВозврат оформлен.",
    text: "Деньги так и не вернули.",
    notIn: "оформлен",
  },
  {
    why: "German separator and mobile footer",
    body: "Bitte rufen Sie mich zurück.\n\nGesendet von Outlook für Android\n\n-----Ursprüngliche Nachricht-----\nVon: Team <team@firma.example>\nDatum: 3.3.2025\n\nWir melden uns.",
    text: "Bitte rufen Sie mich zurück.",
    notIn: "melden",
  },
  {
    why: "French separator",
    body: "Toujours en panne.\n\n-------- Message d'origine --------\nDe : SAV <sav@example.fr>\nDate : 03/03/2025 10:15\n\nLe technicien passera demain.",
    text: "Toujours en panne.",
    notIn: "technicien",
  },
  {
    why: "'---- On … wrote ----' separator",
    body: "Still broken after the update.\n\n---- On Mon, 03 Mar 2025 10:15:00 +0000 Support <help@example.com> wrote ----\n\nPlease update the app.",
    text: "Still broken after the update.",
    notIn: "update the app",
  },
  {
    why: "Gmail date-style attribution",
    body: "That fixed it, thanks.\n\n2025-03-03 10:15 GMT+01:00 Support Team <help@example.com>:\n\n> Try clearing the cache.",
    text: "That fixed it, thanks.",
    notIn: "cache",
  },
  {
    why: "reply written below the quote",
    body: "On Mon, Mar 3, 2025 at 10:15 AM Support <help@example.com> wrote:\n> Could you send the order number?\n\nIt is 5512, and it is still missing.",
    text: "It is 5512, and it is still missing.",
    notIn: "send the order number",
  },
  {
    why: "replies between quotes keep only the sender's lines",
    body: "See my answers below.\n\nOn Mon, Mar 3, 2025 at 10:15 AM Support <help@example.com> wrote:\n> Which model is it?\nThe blue one.\n> When did you buy it?\nLast week.",
    text: "See my answers below.\n\nThe blue one.\nLast week.",
    notIn: "Which model",
  },
  {
    why: "Sent from Mail for Windows",
    body: "The invoice is wrong again.\n\nSent from Mail for Windows\n\nFrom: Billing\nSent: Monday, March 3, 2025 10:15\nTo: me\nSubject: Invoice\n\nHere is your invoice.",
    text: "The invoice is wrong again.",
    notIn: "Here is your invoice",
  },
  {
    why: "a bare forward has no new text",
    body: "---------- Forwarded message ---------\nFrom: Shop <shop@example.com>\nDate: Mon, Mar 3, 2025\nSubject: Order\n\nYour order has shipped.",
    text: "",
    notIn: "shipped",
  },
  {
    why: "a sentence that happens to start with On is not an attribution",
    body: "On second thought, please cancel the order.\nThanks",
    text: "On second thought, please cancel the order.",
  },
];

describe("splitEmailBody", () => {
  it.each(cases)("$why", ({ body, text, notIn }) => {
    const parts = splitEmailBody(body);
    expect(parts.text).toBe(text);
    if (notIn) {
      expect(parts.text).not.toContain(notIn);
      expect(`${parts.quoted}\n${parts.signature}`).toContain(notIn);
    }
  });

  it("keeps the mobile footer and sign-off as the signature", () => {
    const parts = splitEmailBody("Where is my parcel?\n\nEnvoyé de mon iPhone");
    expect(parts.text).toBe("Where is my parcel?");
    expect(parts.signature).toBe("Envoyé de mon iPhone");
  });

  it("reads HTML quotes (blockquote) as history", () => {
    const parts = splitEmailBody(
      '<div>Still waiting.</div><div class="gmail_quote"><div>On Mon, Mar 3, 2025 at 10:15 AM Support &lt;help@example.com&gt; wrote:</div><blockquote>We shipped it.</blockquote></div>',
    );
    expect(parts.text).toBe("Still waiting.");
    expect(parts.quoted).toContain("We shipped it.");
  });

  // The bar is 100 ms a body on a quiet machine; the shared test machine runs several suites at
  // once, so the bound here is looser, and still well under what an unbounded scan of these took (1.5 s).
  it("bounds the work on 1 MB pathological bodies, text and HTML", () => {
    const bodies = [
      "> >\n".repeat(250_000),
      "On Mon, Jan 1, 2024 at 10:00 AM someone\n".repeat(25_000),
      "On ".repeat(350_000),
      `a${" ".repeat(1_000_000)}b`,
      "<div>a</div>".repeat(80_000),
      "<p>On Mon, Jan 1, 2024 at 10:00 AM someone wrote:</p>".repeat(18_000),
    ];
    splitEmailBody("warm\n> up");
    for (const body of bodies) {
      const t = performance.now();
      splitEmailBody(body);
      expect(performance.now() - t, body.slice(0, 20)).toBeLessThan(400);
    }
  });

  it("keeps what lies past 5,000 lines or 500,000 characters with the history, unread", () => {
    const reply = "Please cancel my order, it is late again.\n\n";
    const long = reply + "a line of a very long report\n".repeat(6000) + "TAIL-LINE";
    const parts = splitEmailBody(long);
    expect(parts.text.startsWith("Please cancel my order")).toBe(true);
    expect(parts.text).not.toContain("TAIL-LINE");
    expect(parts.quoted).toContain("TAIL-LINE");
    const wide = reply + "x".repeat(EMAIL_BODY_MAX_CHARS) + "TAIL-CHARS";
    const w = splitEmailBody(wide);
    expect(w.text).not.toContain("TAIL-CHARS");
    expect(w.quoted).toContain("TAIL-CHARS");
  });

  it("flattens a long HTML body in one pass, blockquotes as quote marks, style and script dropped", () => {
    const pad = `<p>${"filler text ".repeat(10)}</p>`.repeat(1000);
    const html = `<html><head><style>p { color: red }</style></head><body><p>My card was declined &amp; I was charged.</p><script>var x = 1;</script><blockquote><p>Earlier message from the shop</p>${pad}</blockquote></body></html>`;
    expect(html.length).toBeGreaterThan(100_000);
    const parts = splitEmailBody(html);
    expect(parts.text).toBe("My card was declined & I was charged.");
    expect(parts.quoted).toContain("Earlier message from the shop");
    expect(`${parts.text}${parts.quoted}`).not.toContain("color: red");
    expect(`${parts.text}${parts.quoted}`).not.toContain("var x");
  });
});

describe("looksLikeHtml", () => {
  it("reads <p.smith@…> in plain text as an address, not a paragraph tag", () => {
    expect(looksLikeHtml("Write to <p.smith@example.com> please")).toBe(false);
    expect(looksLikeHtml("<p>Hello</p>")).toBe(true);
    expect(looksLikeHtml('<p class="x">Hello')).toBe(true);
  });
});

describe("chooseBody", () => {
  it("picks the HTML part when the text part holds only the quoted history", () => {
    const chosen = chooseBody(
      "> You wrote earlier",
      "<p>My answer is no.</p><blockquote>You wrote earlier</blockquote>",
    );
    expect(chosen?.part).toBe("html");
    expect(chosen?.split.text).toBe("My answer is no.");
  });
  it("prefers the text part when it holds the reply", () => {
    expect(chooseBody("Yes please.", "<p>Yes please.</p>")?.part).toBe("text");
  });
});
