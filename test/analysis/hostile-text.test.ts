import { describe, expect, it } from "vitest";
import { analyzer } from "./engine.js";

// A body may be up to 1 MB. Texts built to make the analysis work hard must still take time in
// proportion to their length: each of these took from half a minute to many minutes before (a
// pattern match scanned every token of the sentence, clause scores rescanned every driver, an e-mail
// search rescanned every run of letters and digits to its end). The test's time limit is the guard.
describe("analysis of long hostile texts", () => {
  const MB = 1_000_000;
  const fill = (unit: string) => unit.repeat(Math.floor(MB / unit.length));

  it.each([
    ["one sentence of repeated negative facts", fill("I was charged twice ")],
    ["one sentence cut by thousands of semicolons", fill("bad; good; ")],
    ["a megabyte of digits", "1".repeat(MB)],
    // A run of sentence punctuation with no space after it, and one word of a million letters: the
    // sentence splitter and the Porter stemmers were quadratic in them (100,000 characters took ~60 s).
    ["a megabyte of exclamation marks", "!".repeat(MB)],
    ["one word of a megabyte", "x".repeat(MB)],
    ["a megabyte of one Spanish word", "servicioo".repeat(MB / 9)],
  ])("%s", (_, text) => {
    const result = analyzer.analyze({ channel: "text", text }).stored;
    expect(result.sentiment.sentences.length).toBeGreaterThan(0);
    expect(result.language.code).toBeTruthy();
  });
});
