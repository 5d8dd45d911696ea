import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { FeatureBuffer, fillInputs, type LexiconStage } from "../../src/analysis/learned/index.js";
import { TermRows } from "../../src/analysis/learned/word-rows.js";
import { lexicons } from "./engine.js";

// The learned layer reads English text as weight rows with each word's rows remembered; training
// reads it as hashed features one by one. Both must give the model the same logits, bit for bit,
// and the same explanations, whether a word is met for the first time or from memory.
const english = lexicons.model!;
const spanish = lexicons.packs.get("es")?.model;

/** Messages written for this test: negation, bigrams, digits, long words, emoji, handles, links, caps. */
const MESSAGES = [
  "The courier left my parcel in the rain and it's soaked through.",
  "I'm not happy at all, nobody has called me back about the boiler.",
  "Never had a problem before, but this week the app won't load my statements.",
  "Refund of 49.99 still missing after 3 weeks!!! Ref AB12CD.",
  "Supercalifragilisticexpialidociousness aside, the pneumonoultramicroscopic typo hurts.",
  "Cheers @helpdesk, sorted in five minutes 👍 https://example.org/ticket/7",
  "WHY IS MY CARD BLOCKED AGAIN???",
  "didn't get the code, can't log in, haven't been able to pay",
  "ok",
  "Thanks — lovely service, the engineer tidied up after himself :)",
  "no no no no no no",
  "Is the branch on King Street open on bank holidays?",
];

/** Spanish, whose model has the same default features. */
const SPANISH = [
  "No me ha llegado el pedido y nadie contesta al teléfono.",
  "Muchísimas gracias, el técnico fue rapidísimo y muy amable 😊",
  "Me cobraron dos veces 25,50 € este mes!!! Quiero una explicación.",
  "No está mal, pero la aplicación se cuelga cada vez que intento pagar.",
  "@banco_ayuda ¿a qué hora abre la oficina de la calle Mayor? https://example.es/x",
  "NUNCA MÁS vuelvo a comprar aquí",
];

function stageOf(text: string): LexiconStage {
  let stage: LexiconStage | undefined;
  analyze({ channel: "chat", text }, lexicons, (s) => {
    stage = s;
  });
  return stage!;
}

describe.each([
  ["English", english, MESSAGES],
  ["Spanish", spanish, SPANISH],
] as const)("%s text as remembered word rows", (_, model, messages) => {
  if (!model || model.features !== undefined) throw new Error("the model's features are not the default ones");
  const heads = model.heads.length;

  it.each([1, 2])("gives the feature path's logits and top terms (pass %i)", () => {
    const features = new FeatureBuffer();
    const rows = new TermRows();
    const dense = new Float64Array(model.denseCount);
    const byFeatures = new Float64Array(heads);
    const byRows = new Float64Array(heads);
    for (const text of messages) {
      const stage = stageOf(text);
      fillInputs(model, stage, features, dense);
      model.logits(features, dense, byFeatures);
      model.termRows(stage.customerSentences, rows);
      model.termLogits(rows, dense, byRows);
      expect([...byRows], text).toEqual([...byFeatures]);
      for (let h = 0; h < heads; h++) {
        for (const positive of [true, false])
          expect(model.topTerms(h, rows, 4, positive), `${text} head ${h}`).toEqual(
            model.topTerms(h, features, 4, positive),
          );
      }
    }
  });

  it("reads the same terms as the features do", () => {
    const features = new FeatureBuffer();
    const rows = new TermRows();
    const stage = stageOf(messages[2]);
    fillInputs(model, stage, features, new Float64Array(model.denseCount));
    model.termRows(stage.customerSentences, rows);
    // A longer text first, so the reused buffers hold more terms than the text read after it.
    model.termRows(stageOf(messages[1] + messages[2] + messages[3]).customerSentences, rows);
    model.termRows(stage.customerSentences, rows);
    expect(rows.terms.slice(0, rows.termCount).map((t) => t.text)).toEqual(features.terms.map((t) => t.text));
    expect(rows.termCount).toBeGreaterThan(10);
  });
});
