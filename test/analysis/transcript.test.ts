import { describe, expect, it } from "vitest";
import { analyzer } from "./engine.js";

const chat = (turns: Array<["customer" | "agent" | "bot", string]>) =>
  analyzer.analyze({ channel: "chat", turns: turns.map(([speaker, text]) => ({ speaker, text })) }).stored;

describe("speaker-aware transcripts", () => {
  it("scores customer and agent apart", () => {
    const r = chat([
      ["customer", "My transfer vanished and I am furious."],
      ["agent", "Thank you for your patience, I am glad to help."],
    ]);
    expect(r.speakers?.customer?.label).toBe("negative");
    expect(r.speakers?.agent?.label).toBe("positive");
    expect(r.sentiment.label).toBe("negative");
  });

  it("does not let an agent's apology drag the customer's score", () => {
    const without = chat([["customer", "The payment went through, thanks."]]);
    const withApology = chat([
      ["customer", "The payment went through, thanks."],
      ["agent", "I am so sorry for the terrible trouble earlier, we apologise."],
    ]);
    expect(withApology.speakers?.customer?.score).toBe(without.speakers?.customer?.score);
    expect(withApology.sentiment.score).toBe(without.sentiment.score);
    expect(withApology.complaint.risk).toBe(without.complaint.risk);
  });

  it("follows the customer's trajectory", () => {
    const r = chat([
      ["customer", "This is ridiculous, my card was declined at the till."],
      ["agent", "I have lifted the block now."],
      ["customer", "Hmm, I will try again."],
      ["customer", "It worked, thank you so much!"],
    ]);
    expect(r.trajectory).toMatchObject({ trend: "improving", lowest: { turn: 0 } });
    expect(r.trajectory!.start).toBeLessThan(0);
    expect(r.trajectory!.end).toBeGreaterThan(0);
    expect(r.turns?.map((t) => t.speaker)).toEqual(["customer", "agent", "customer", "customer"]);
  });

  it("lowers complaint risk when a conversation ends well", () => {
    const angry = [["customer", "This is ridiculous, my card was declined again!"]] as Array<["customer", string]>;
    const endsWell = chat([...angry, ["agent", "Fixed."], ["customer", "Brilliant, thanks a lot for the quick help."]]);
    expect(endsWell.complaint.risk).toBeLessThan(chat(angry).complaint.risk);
  });

  it("marks a worsening conversation", () => {
    const r = chat([
      ["customer", "Hi, quick question about my statement."],
      ["agent", "Please hold."],
      ["customer", "I have been waiting 40 minutes, this is unacceptable and useless."],
    ]);
    expect(r.trajectory?.trend).toBe("worsening");
    expect(r.complaint.reasons.map((x) => x.code)).toContain("falling_sentiment");
  });
});
