import { describe, expect, it } from "vitest";
import Sentiment from "sentiment";
import { analyseRules as analyse, rulesOf } from "./engine.js";

// Hard cases for lexicon sentiment in customer service, each with the label and the rule that must
// explain it. The rules alone: the learned layer's overall label is measured in bench/quality and
// the hard-case suites (test/analysis/hard-cases.test.ts).
const cases: Array<[string, "negative" | "neutral" | "positive", string]> = [
  ["I have never been happy with this bank", "negative", "negated"],
  ["Honestly I don't hate the new layout", "positive", "negated"],
  ["The transfer page does not work", "negative", "not-working"],
  ["My card still isn't working after the replacement", "negative", "still-unresolved"],
  ["The app is great but support is terrible", "negative", "contrast-after"],
  ["Although the staff were friendly, the wait was awful", "negative", "contrast-after"],
  ["The agent was very helpful", "positive", "intensified"],
  ["It was slightly disappointing", "negative", "downtoned"],
  ["The checkout is BROKEN", "negative", "caps"],
  ["What a waste of time", "negative", "phrase"],
  ["I was on hold forever", "negative", "phrase"],
  ["Nobody called back", "negative", "nobody-responded"],
  ["Thanks for nothing", "negative", "phrase"],
  ["Great, another outage this morning", "negative", "sarcastic-praise"],
  ["I waited 3 hours and nobody answered", "negative", "long-wait"],
  ["I was charged twice for one coffee", "negative", "charged-wrongly"],
  ["Still haven't received the replacement card", "negative", "still-unresolved"],
  ["This is the fourth time I am writing to you", "negative", "repeat-contact"],
  ["They lost my suitcase on the way back", "negative", "lost-item"],
  ["I got no response to my letter", "negative", "no-response"],
  ["Where is my refund?", "negative", "chasing"],
  ["I will never use this bank again", "negative", "never-again"],
  ["Your colleague went above and beyond for me", "positive", "phrase"],
];

describe("sentence sentiment: hard cases", () => {
  it.each(cases)("%s → %s (%s)", (text, label, rule) => {
    const r = analyse(text);
    expect(r.sentiment.label).toBe(label);
    expect(rulesOf(r)).toContain(rule);
  });

  it("beats the bare `sentiment` package on these cases", () => {
    const afinn = new Sentiment();
    const plain = cases.filter(([text, label]) => {
      const s = afinn.analyze(text).score;
      return (s > 0 ? "positive" : s < 0 ? "negative" : "neutral") === label;
    }).length;
    const ours = cases.filter(([text, label]) => analyse(text).sentiment.label === label).length;
    expect(ours).toBe(cases.length);
    expect(plain).toBeLessThan(ours);
  });
});

describe("words that are not opinions in this domain", () => {
  it.each([
    "Kindly refund my money",
    "Can you help me with my card?",
    "I would like to check my balance",
    "Please contact customer support",
    "How do I top up my account?",
  ])("%s → not positive", (text) => {
    expect(analyse(text).sentiment.label).not.toBe("positive");
  });
});

describe("modifiers change the strength, not the direction", () => {
  const score = (t: string) => analyse(t).sentiment.score!;
  it("intensifiers raise and downtoners lower", () => {
    expect(score("The service was very good")).toBeGreaterThan(score("The service was good"));
    expect(score("The service was slightly good")).toBeLessThan(score("The service was good"));
  });
  it("capitals and exclamation marks amplify", () => {
    expect(score("This is GOOD")).toBeGreaterThan(score("This is good"));
    expect(score("This is bad!!!")).toBeLessThan(score("This is bad"));
  });
  it("reads emoji and emoticons", () => {
    expect(analyse("My card arrived today 😍").sentiment.label).toBe("positive");
    expect(analyse("card declined again :(").sentiment.label).toBe("negative");
    expect(analyse("no reply yet 😡").sentiment.label).toBe("negative");
  });
});

describe("long texts", () => {
  it("scores per sentence and aggregates, so a long email does not saturate", () => {
    const filler = "I am writing about the statement for my current account and the dates on it. ";
    const text =
      filler.repeat(150) + "The charge you added is outrageous and nobody answered my calls. " + filler.repeat(150);
    const r = analyse(text);
    expect(r.sentiment.sentences.length).toBeGreaterThan(300);
    expect(r.sentiment.label).toBe("negative");
    expect(r.sentiment.score).toBeGreaterThan(-0.95);
  });
  it("does not let many mild positives reach 1", () => {
    const r = analyse("Thanks, that is good. ".repeat(200));
    expect(r.sentiment.score).toBeLessThan(0.95);
  });
});
