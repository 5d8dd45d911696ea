import { describe, expect, it } from "vitest";
import { LOW_CONFIDENCE, UNDETERMINED } from "../../src/analysis/language.js";
import { analyse } from "./engine.js";

// Phrases written for this test, in the style of customer messages; none comes from a data set.
const PHRASES: Array<[code: string, text: string]> = [
  ["en", "My parcel still has not arrived and nobody answers the phone."],
  ["en", "Could you tell me why my card was blocked yesterday?"],
  ["es", "Llevo una semana esperando la devolución de mi dinero."],
  ["es", "No me funciona la aplicación desde que la actualicé."],
  ["fr", "Je n'arrive plus à me connecter à mon espace client."],
  ["fr", "Le livreur a laissé mon colis devant la porte sous la pluie."],
  ["de", "Meine Lieferung ist seit zehn Tagen unterwegs und nichts passiert."],
  ["de", "Warum bekomme ich keine Antwort auf meine E-Mails?"],
  ["pt", "A minha fatura deste mês veio com um valor errado."],
  ["pt", "Já tentei três vezes e o pagamento não passa."],
  ["pt", "Não consigo falar com ninguém no telefone."],
  ["nl", "Mijn pakket is nog steeds niet bezorgd en niemand neemt op."],
  ["nl", "Waarom is mijn abonnement zonder bericht verlengd?"],
  ["nl", "Ik heb twee keer betaald voor dezelfde bestelling."],
  ["it", "Il corriere non è mai passato e nessuno mi ha avvisato."],
  ["it", "Ho pagato due volte la stessa bolletta questo mese."],
  ["it", "Non riesco a entrare nel mio account da stamattina."],
  ["sv", "Jag har inte fått någon bekräftelse på min beställning."],
  ["pl", "Moja przesyłka nie dotarła, a minął już tydzień."],
  ["ru", "Мой заказ так и не доставили, верните деньги."],
  ["zh", "我的快递一个星期了还没有到，客服也不回复。"],
  ["ko", "주문한 상품이 아직도 도착하지 않았어요."],
  ["ja", "注文した商品がまだ届いていません。"],
];

describe("language detection", () => {
  it.each(PHRASES)("names %s: %s", (code, text) => {
    const { language } = analyse(text);
    expect(language.code).toBe(code);
    expect(language.confidence).toBeGreaterThanOrEqual(LOW_CONFIDENCE);
  });

  it.each([
    "A minha encomenda ainda não chegou.",
    "Ik wil mijn geld terug.",
    "De klantenservice is slecht bereikbaar.",
    "O cartão foi recusado na loja.",
  ])("does not take Portuguese or Dutch for English: %s", (text) => {
    expect(analyse(text).language.code).not.toBe("en");
  });

  it.each([
    "Voglio parlare con un responsabile.",
    "La consegna è in ritardo di una settimana.",
    "Mi avete addebitato una commissione sbagliata.",
  ])("does not take Italian for Spanish: %s", (text) => {
    expect(analyse(text).language.code).toBe("it");
  });

  // Too little text to tell: reported as undetermined, below the threshold, rather than guessed.
  it.each(["ok", "merci", "gracias", "ja", "thx", "top", "👍👍", "!!!", "4411"])(
    "reports a very short text with low confidence: %s",
    (text) => {
      const { language } = analyse(text);
      expect(language.code).toBe(UNDETERMINED);
      expect(language.confidence).toBeLessThan(LOW_CONFIDENCE);
    },
  );

  it.each([
    "Hi there, mi tarjeta no funciona, can you check it please?",
    "Bonjour, I was charged twice, je voudrais un remboursement",
    "Mein Paket ist weg and nobody can tell me where it is",
    "Ciao, the app does not open, non so cosa fare",
  ])("reports a text mixing two languages with low confidence: %s", (text) => {
    const { language } = analyse(text);
    expect(language.code).toBe(UNDETERMINED);
    expect(language.confidence).toBeLessThan(LOW_CONFIDENCE);
  });

  it("reads the language past handles, links and order numbers", () => {
    expect(
      analyse("@shopdesk https://t.co/x1y2 commande 88231 toujours pas livrée, c'est inadmissible").language.code,
    ).toBe("fr");
  });
});

describe("a text in a language Earshot does not analyse", () => {
  it("has no score and says so, rather than scoring neutral", () => {
    const r = analyse("Je suis très déçue, personne ne répond à mes messages depuis une semaine.");
    expect(r.language).toMatchObject({ code: "fr", analysed: false, scope: "none" });
    expect(r.sentiment).toMatchObject({ score: null, label: "not_analysed" });
    expect(r.complaint.reasons).toContainEqual(
      expect.objectContaining({ code: "text_not_analysed", text: expect.stringContaining("French (fr)"), weight: 0 }),
    );
  });

  // Reasons: [code, text]. The words are not read, but emoji, "!!" and capitals are.
  it.each([
    ["C'EST INADMISSIBLE, REMBOURSEZ MOI TOUT DE SUITE", "shouting"],
    ["Wo bleibt mein Paket?!! Schon wieder nichts!!", "exclamations"],
    ["Encore une fois le virement a échoué 😡😡", "negative_emoji"],
  ])("reads the language-free signals of %s: %s", (text, code) => {
    const r = analyse(text);
    expect(r.language.analysed).toBe(false);
    expect(r.complaint.reasons.map((x) => x.code)).toContain(code);
    expect(r.complaint.risk).toBeGreaterThan(0);
  });

  it("leaves a glad message with emphasis at no risk", () => {
    const r = analyse("Merci beaucoup, tout est réglé!!! 😍🙏");
    expect(r.language.analysed).toBe(false);
    expect(r.complaint.reasons.map((x) => x.code)).toEqual(["text_not_analysed"]);
    expect(r.complaint.risk).toBe(0);
  });

  it("still counts a long wait from the channel", () => {
    const r = analyse("Bonjour, mon retrait au distributeur a échoué mais mon compte a été débité.", {
      channel: "chat",
      context: { waitSeconds: 1200 },
    });
    expect(r.complaint.reasons.map((x) => x.code)).toEqual(expect.arrayContaining(["long_wait", "text_not_analysed"]));
  });
});

describe("the stored form of a text not analysed", () => {
  it("keeps the null score and the not_analysed label through packing", async () => {
    const { packAnalysis, unpackAnalysis, unpackHeadline } = await import("../../src/analysis/stored-form.js");
    const r = analyse("Il mio ordine non è mai arrivato e nessuno risponde!!");
    const packed = packAnalysis(r);
    expect(unpackAnalysis(packed)).toEqual(r);
    expect(unpackHeadline(packed).sentiment).toEqual({ score: null, label: "not_analysed" });
  });
});
