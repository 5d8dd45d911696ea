import { describe, expect, it } from "vitest";
import { analyse } from "./engine.js";
import { check, type Case } from "./languages.js";

// Sentences written for these tests (none taken from a data set).
const cases: Case[] = [
  {
    text: "Quiero hablar con un gerente ahora mismo",
    label: "neutral",
    needs: ["escalate"],
    why: "asking for a manager is an escalation",
  },
  {
    text: "Páseme con su supervisor, por favor",
    label: "neutral",
    needs: ["escalate"],
    why: "another way to ask for a supervisor",
  },
  { text: "quiero cancelar mi cuenta", label: "neutral", needs: ["cancel"], why: "cancelling the account" },
  {
    text: "Necesito darme de baja del servicio cuanto antes",
    label: "neutral",
    needs: ["cancel"],
    why: "dar de baja is the Spanish way to cancel",
  },
  {
    text: "No quiero cancelar nada, solo cambiar mi dirección",
    label: "neutral",
    needs: ["change_details"],
    notNeeds: ["cancel"],
    why: "a negated cancel is no cancel",
  },
  {
    text: "Me han cobrado dos veces la misma factura, exijo que me devuelvan el dinero",
    label: "negative",
    needs: ["billing_dispute", "refund"],
    why: "double charge and a refund demand",
  },
  {
    text: "La aplicación no funciona desde ayer y no puedo entrar en mi cuenta",
    label: "negative",
    needs: ["technical_problem", "account_access"],
    drivers: ["no funciona"],
    why: "a broken app and no access",
  },
  {
    text: "Yo no hice esa compra, alguien ha usado mi tarjeta",
    label: "neutral",
    needs: ["fraud_report"],
    why: "an unrecognised purchase is fraud",
  },
  {
    text: "Voy a poner una reclamación, esto es una vergüenza",
    label: "negative",
    needs: ["complaint"],
    drivers: ["una vergüenza"],
    why: "an explicit complaint",
  },
  {
    text: "El pedido no ha llegado y ya es la tercera vez que escribo",
    label: "negative",
    needs: ["delivery_issue", "repeat_contact"],
    why: "a missing order, written about again",
  },
  {
    text: "La atención fue excelente, muchas gracias por la ayuda",
    label: "positive",
    drivers: ["excelente"],
    needs: ["praise"],
    why: "praise for the service",
  },
  {
    text: "El servicio no es malo",
    label: "positive",
    rules: ["negated"],
    why: "a negated negative word turns mildly positive",
  },
  { text: "El trato es muy bueno", label: "positive", rules: ["intensified"], why: "muy intensifies" },
  {
    text: "La app es bonita, pero el soporte es pésimo",
    label: "negative",
    rules: ["contrast-after"],
    drivers: ["pésimo"],
    why: "after pero the second clause weighs more",
  },
  { text: "La atencion fue pesima", label: "negative", drivers: ["pesima"], why: "accents left out still read" },
  {
    text: "buenooo, la verdad es que todo perfectooo jajaja",
    label: "positive",
    why: "stretched letters and laughter",
  },
];

describe("Spanish", () => {
  it.each(cases)("$text", (c) => {
    check("es", c);
  });

  // Phrasings of needs in the usted / plural imperative and in "a … I do not recognise" order.
  it.each([
    { text: "Cancelen mi suscripción, por favor", need: "cancel" },
    { text: "Anule la tarjeta hoy mismo", need: "cancel" },
    { text: "Me aparecen dos cobros que no he hecho", need: "billing_dispute" },
    { text: "Han utilizado mis datos sin mi consentimiento", need: "fraud_report" },
    { text: "¿A qué hora abren las oficinas?", need: "information_request" },
  ])("finds $need in: $text", ({ text, need }) => {
    expect(analyse(text).needs.map((n) => n.id)).toContain(need);
  });

  it("gives complaint reasons in Spanish", () => {
    const r = analyse("Quiero hablar con un gerente, el servicio es pésimo y me han cobrado dos veces");
    expect(r.complaint.flagged).toBe(true);
    expect(r.complaint.reasons.map((x) => x.text).join("; ")).toMatch(/pide hablar con un responsable.*gerente/);
    expect(r.complaint.reasons.map((x) => x.text).join("; ")).toMatch(/disputa de cobro/);
  });

  it("finds topics and emotions in Spanish", () => {
    const r = analyse("Estoy furioso, la factura tiene una comisión que nadie me explicó");
    expect(r.topics.map((t) => t.id)).toEqual(expect.arrayContaining(["billing", "fees"]));
    expect(r.emotions.map((e) => e.id)).toContain("anger");
  });
});
