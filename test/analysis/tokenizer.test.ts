import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitSentences, tokenize, tokenizeByExpression } from "../../src/analysis/text.js";

// The ASCII scanner must tokenise exactly as the grammar's regular expression does.
const pieces = [
  "a",
  "Z",
  "x",
  "X",
  "D",
  "P",
  "p",
  "don't",
  "well-known",
  "it's",
  "'",
  "-",
  "_",
  "@",
  "@bank",
  ":",
  ";",
  "(",
  ")",
  "/",
  "|",
  "<",
  ">",
  "3",
  "0",
  "12",
  "1,000.50",
  "10:30",
  "3rd",
  "st",
  "nd",
  "!",
  "?",
  ".",
  ",",
  "...",
  " ",
  "\n",
  "\t",
  "http://",
  "https://",
  "www.",
  "x.com",
  "xD",
  "D:",
  ":-",
  ":'",
  ">:",
  "<3",
  "#",
  "$",
  "%",
  "&",
  "*",
  "=",
  "~",
  '"',
];
const asciiText = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((xs) => xs.join(""));

describe("tokenizer", () => {
  it("scans ASCII text exactly as the grammar's expression tokenises it", () => {
    fc.assert(
      fc.property(asciiText, fc.nat(50), (text, offset) => {
        expect(tokenize(text, offset)).toEqual(tokenizeByExpression(text, offset));
      }),
      { seed: 5, numRuns: 5000 },
    );
  });

  it.each([
    ["I can't wait :) <3 xD", ["I:word", "can't:word", "wait:word", ":):emoticon", "<3:emoticon", "xD:emoticon"]],
    [
      "Call @bank at 10:30 on the 3rd!!! see https://x.co/a?b",
      [
        "Call:word",
        "@bank:mention",
        "at:word",
        "10:30:number",
        "on:word",
        "the:word",
        "3rd:number",
        "!!!:punct",
        "see:word",
        "https://x.co/a?b:url",
      ],
    ],
    [
      "D: that...:) AND: 5D:",
      ["D::emoticon", "that:word", "...::punct", "AND:word", "::punct", "5:number", "D:word", "::punct"],
    ],
    ["Geld zurück, bitte… 😡", ["Geld:word", "zurück:word", ",:punct", "bitte:word", "…:punct", "😡:emoji"]],
  ])("%s", (text, expected) => {
    expect(tokenize(text).map((t) => `${t.text}:${t.kind}`)).toEqual(expected);
  });
});

describe("sentence splitting", () => {
  const spaces = [" ", "\t", "\n", "\r\n", "\u00a0", "\u2003", "\u3000", "\ufeff", "\u2028", "\u0085"];
  const text = fc
    .array(
      fc.constantFrom(...spaces, "Hi", "there", ".", "!", "?", "Mr.", "e.g.", "...", "…", '"', ")", "A.", "ok", "3.5"),
      { maxLength: 25 },
    )
    .map((xs) => xs.join(""));

  it("trims each sentence as String.prototype.trim does, with offsets into the text", () => {
    fc.assert(
      fc.property(text, (t) => {
        for (const s of splitSentences(t)) {
          expect(s.text).toBe(s.text.trim());
          expect(s.text).not.toBe("");
          expect(t.slice(s.start, s.end)).toBe(s.text);
        }
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});
