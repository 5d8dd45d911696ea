import { describe, expect, it } from "vitest";
import { analyse, lexicons } from "./engine.js";
import { needsOf } from "../../src/analysis/signals.js";
import type { AnalysedSentence } from "../../src/analysis/sentences.js";

const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

describe("emotions, with evidence", () => {
  it.each([
    ["I am absolutely furious about this", "anger", "furious"],
    ["So frustrating, I keep getting logged out", "frustration", "frustrating"],
    ["I'm confused, the statement makes no sense to me", "confusion", "confused"],
    ["I'm really worried someone has my card details", "anxiety", "worried"],
    ["Really disappointed with how this was handled", "disappointment", "disappointed"],
    ["Thank you so much, I really appreciate it", "gratitude", "Thank"],
  ])("%s → %s", (text, emotion, evidence) => {
    const found = analyse(text).emotions.find((e) => e.id === emotion);
    expect(found, JSON.stringify(analyse(text).emotions)).toBeDefined();
    expect(found!.evidence.join(" ")).toContain(evidence);
  });

  it("does not read sarcasm or negation as gratitude", () => {
    expect(ids(analyse("Thanks for nothing").emotions)).not.toContain("gratitude");
    expect(ids(analyse("I am not happy at all").emotions)).not.toContain("gratitude");
  });
});

describe("topics with their own sentiment", () => {
  it("gives each topic the sentiment of its own clause", () => {
    const r = analyse("The app is great but the fees are outrageous");
    const app = r.topics.find((t) => t.id === "app_website");
    const fees = r.topics.find((t) => t.id === "fees");
    expect(app?.sentiment).toBeGreaterThan(0);
    expect(fees?.sentiment).toBeLessThan(0);
  });

  it.each([
    ["I was billed twice on my last invoice", "billing"],
    ["My debit card is stuck in the machine", "card"],
    ["I forgot my password and can't log in", "login_access"],
    ["The parcel has not been delivered", "delivery"],
    ["When will I get my refund?", "refund"],
    ["Someone made a fraudulent payment on my account", "fraud"],
    ["I was on hold for an hour", "wait_time"],
    ["The agent was rude to me", "staff_behaviour"],
    ["My flight was delayed by five hours", "delays"],
  ])("%s → %s", (text, topic) => {
    expect(ids(analyse(text).topics)).toContain(topic);
  });

  it("offers key phrases when no topic fits", () => {
    const r = analyse("The hotel parking garage was full of pigeons");
    expect(r.topics).toEqual([]);
    expect(r.keyPhrases.join(" ")).toContain("garage");
  });
});

describe("needs, with confidence and evidence", () => {
  it.each([
    ["Please close my account today", "cancel"],
    ["I want my money back for the broken kettle", "refund"],
    ["I want to make a formal complaint", "complaint"],
    ["Let me speak to a manager right now", "escalate"],
    ["Why was I charged twice for the same order?", "billing_dispute"],
    ["The app keeps crashing when I open payments", "technical_problem"],
    ["How long does a transfer to Spain take?", "information_request"],
    ["I need to change my address, I moved house", "change_details"],
    ["There is a payment on my statement I did not make", "fraud_report"],
    ["Great service from your team, well done!", "praise"],
    ["I'm locked out of my online banking", "account_access"],
    ["My order never arrived", "delivery_issue"],
    ["My card was declined at the shop", "card_issue"],
    ["This is the third time I have called about this", "repeat_contact"],
    ["If this is not fixed I am switching to another bank", "churn_threat"],
  ])("%s → %s", (text, need) => {
    const found = analyse(text).needs.find((n) => n.id === need);
    expect(found, JSON.stringify(analyse(text).needs)).toBeDefined();
    expect(found!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(found!.evidence.length).toBeGreaterThan(0);
  });

  it("finds several needs in one message", () => {
    expect(ids(analyse("I was charged twice, I want a refund and I want to close my account.").needs)).toEqual(
      expect.arrayContaining(["billing_dispute", "refund", "cancel"]),
    );
  });

  it("does not read a negated need", () => {
    expect(ids(analyse("I don't want to cancel, I just have a question.").needs)).not.toContain("cancel");
  });
});

describe("complaint risk", () => {
  it("flags an angry escalation with plain-words reasons", () => {
    const c = analyse("This is a disgrace. I want to speak to a manager, and I am closing my account!").complaint;
    expect(c.flagged).toBe(true);
    expect(c.risk).toBeGreaterThanOrEqual(c.threshold);
    const reasons = c.reasons.map((r) => r.text).join(" | ");
    expect(reasons).toContain("negative sentiment −");
    expect(reasons).toContain("escalation demand");
    // The rules list every signal; the learned layer lists those that raised its probability.
    expect(reasons).toMatch(/churn threat|cancellation request/);
  });

  it("does not flag a neutral question or praise", () => {
    expect(analyse("What are your opening hours on Saturday?").complaint.flagged).toBe(false);
    expect(analyse("Thanks, the new card arrived and works fine.").complaint).toMatchObject({ flagged: false });
  });

  it("counts a public negative social post", () => {
    // A message the model is unsure about, so the public post's share shows.
    const text = "Not impressed with the new app";
    const social = analyse(text, { channel: "social", context: { public: true } }).complaint;
    const email = analyse(text, { channel: "email" }).complaint;
    expect(social.reasons.map((r) => r.code)).toContain("public_post");
    expect(social.risk).toBeGreaterThan(email.risk);
  });

  it("counts a long wait from the channel", () => {
    const c = analyse("Hello, I need help with a payment.", {
      channel: "chat",
      context: { waitSeconds: 600 },
    }).complaint;
    expect(c.reasons.find((r) => r.code === "long_wait")?.text).toBe("long wait (600 s in queue)");
  });
});

describe("need evidence in text whose lower case is longer", () => {
  it("cuts evidence at the words themselves when a letter lower-cases to two (İ → i̇)", () => {
    // Evidence cut from the lower-cased sentence at the original's offsets would be one character
    // off after "İ": " refun" and " never arrive", each counted as another piece of evidence.
    const refund = analyse("İSTANBUL branch: I want a refund for this order, it never arrived.").needs.find(
      (n) => n.id === "refund",
    );
    expect(refund?.evidence).toEqual(["refund", "want a refund"]);
  });
});

describe("grouping many pieces of evidence", () => {
  it("counts each piece once, at its highest weight, past the size where lookups switch to a map", () => {
    const cue = (evidence: string, weight: number) => ({ id: "complaint", weight, evidence, at: 0 });
    const pieces = Array.from({ length: 40 }, (_, i) => `piece ${i}`);
    // 40 distinct pieces at 0.05, then all of them again (in other case, at a lower weight) and one higher.
    const sentences = [
      { needCues: pieces.map((p) => cue(p, 0.05)) },
      { needCues: [...pieces.map((p) => cue(p.toUpperCase(), 0.01)), cue("piece 39", 0.3)] },
    ] as unknown as AnalysedSentence[];
    const [need] = needsOf(sentences, lexicons);
    expect(need.evidence).toEqual(pieces.slice(0, 5));
    const expected = 1 - 0.95 ** 39 * 0.7;
    expect(need.confidence).toBe(Math.round(expected * 100) / 100);
  });
});
