import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiteralAutomaton } from "../../src/analysis/literal-automaton.js";
import { PatternSet } from "../../src/analysis/pattern-set.js";
import { requiredLiterals } from "../../src/analysis/required-literals.js";
import { lexicons } from "./engine.js";

const sorted = (groups: string[][] | null) => (groups ? groups.map((g) => [...g].sort()) : groups);

describe("required literals of a pattern", () => {
  it.each([
    [/\bcancel (?:my|the) account\b/i, [["cancel my account", "cancel the account"]]],
    [/colou?r/, [["color", "colour"]]],
    // Every selective part of a sequence is required: one wanting word and one refund phrase.
    [
      /\b(?:want|need)\b[^.!?]{0,20}\b(?:refund|money back)\b/i,
      [
        ["need", "want"],
        ["money back", "refund"],
      ],
    ],
    [/\b(?:charged|billed)\s+twice\b/i, [["billed", "charged"], ["twice"]]],
    [/!{3,}/, [["!!!"]]],
    [/\?!|!\?/, [["!?", "?!"]]],
    [/[Cc]ancel+ed/, [["cance"]]],
    [/(?<=not )happy/i, [["happy"]]],
    [/REFUND/, [["refund"]]],
    // Alternatives: the union of each one's most selective set.
    [/\bcharged twice\b|\bdouble (?:charge|payment)\b/i, [["charged twice", "double charge", "double payment"]]],
  ])("%s needs one of each of %j", (regex, expected) => {
    expect(sorted(requiredLiterals(regex))).toEqual(sorted(expected));
  });

  it.each([/\d+ hours?/, /\w+/, /(?:great)?\s*!/, /(a)\1/, /^.*$/, /(?:cancel|\d+)/])(
    "%s needs nothing it can name",
    (regex) => {
      const groups = requiredLiterals(regex);
      // Either no prefilter at all, or one the pattern cannot match without.
      if (groups)
        for (const text of ["12 hours", "word", " !", "aa", ""])
          if (regex.test(text))
            for (const g of groups) expect(g.some((l) => text.toLowerCase().includes(l))).toBe(true);
      expect(groups === null || groups.every((g) => g.every((l) => l.length > 0))).toBe(true);
    },
  );
});

describe("literal automaton", () => {
  it("finds every literal, overlapping and case-folded", () => {
    const automaton = new LiteralAutomaton(["he", "she", "his", "hers", "ünïcode"], [0, 1, 2, 3, 4]);
    const found: number[] = [];
    automaton.scan("uSHErs and ÜNÏCODE", (id) => found.push(id));
    expect([...new Set(found)].sort()).toEqual([0, 1, 3, 4]);
  });

  it("agrees with indexOf on random texts", () => {
    const alphabet = fc.constantFrom(..."abcAB '!é".split(""));
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: alphabet, minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 }),
        fc.string({ unit: alphabet, maxLength: 40 }),
        (literals, text) => {
          const automaton = new LiteralAutomaton(
            literals,
            literals.map((_, i) => i),
          );
          const found = new Set<number>();
          automaton.scan(text, (id) => found.add(id));
          const expected = literals.flatMap((l, i) => (text.toLowerCase().includes(l.toLowerCase()) ? [i] : []));
          expect([...found].sort((a, b) => a - b)).toEqual(expected);
        },
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});

describe("pattern sets", () => {
  const families: Record<string, PatternSet<unknown>> = {
    sentiment: lexicons.sentiment.patterns,
    needs: lexicons.needs.patterns,
    emotions: lexicons.emotions.patterns,
  };
  // Texts assembled from the lexicons' own vocabulary, so many of them match some pattern.
  const words = [
    "i",
    "want",
    "to",
    "cancel",
    "my",
    "account",
    "charged",
    "twice",
    "waited",
    "3",
    "hours",
    "nobody",
    "called",
    "back",
    "great",
    "another",
    "outage",
    "thanks",
    "for",
    "nothing",
    "refund",
    "manager",
    "!!!",
    "?!",
    "not",
    "never",
    "the",
    "app",
    "close",
    "speak",
    "to",
    "a",
    "supervisor",
    "on",
    "hold",
    "again",
    "for",
    "the",
    "third",
    "time",
    "fraud",
    "didn't",
    "make",
  ];
  const sentence = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 14 }).map((ws) => ws.join(" "));

  it.each(Object.entries(families))("%s: the prefilter never drops a pattern that matches", (_, set) => {
    fc.assert(
      fc.property(sentence, fc.boolean(), (text, upper) => {
        const t = upper ? text.toUpperCase() : text;
        const candidates = new Set(set.candidates(t));
        for (const p of set.patterns) {
          p.regex.lastIndex = 0;
          if (p.regex.test(t)) expect(candidates.has(p)).toBe(true);
        }
      }),
      { seed: 11, numRuns: 2000 },
    );
  });

  it("skips every pattern of a sentence with none of their words, and keeps the family's order", () => {
    const set = new PatternSet([
      { regex: /\bcancel\b/i, payload: "cancel" },
      { regex: /\d{3,}/, payload: "digits" },
      { regex: /\brefund\b/i, payload: "refund" },
    ]);
    expect(set.candidates("Lovely weather").map((p) => p.payload)).toEqual(["digits"]);
    expect(set.candidates("REFUND or I CANCEL").map((p) => p.payload)).toEqual(["cancel", "digits", "refund"]);
    expect(set.unfiltered.map((p) => p.payload)).toEqual(["digits"]);
  });

  it("finds words of other alphabets in either case, and never filters on a letter whose lower case grows", () => {
    const set = new PatternSet([
      { regex: /\bdevoluci[oó]n\b/i, payload: "refund-es" },
      { regex: /İPTAL/i, payload: "cancel-tr" },
    ]);
    expect(set.candidates("Quiero una DEVOLUCIÓN").map((p) => p.payload)).toEqual(["refund-es"]);
    expect(set.candidates("Nothing to see")).toEqual([]);
    // "İ" lower-cases to two characters: the pattern keeps a prefilter on the rest ("ptal"), which the text has.
    expect(set.candidates("İPTAL edin").map((p) => p.payload)).toContain("cancel-tr");
  });

  it("keeps a pattern only when every group of its words occurs", () => {
    const set = new PatternSet([{ regex: /\b(?:want|need)\b.{0,20}\b(?:refund|money back)\b/i, payload: "refund" }]);
    expect(set.candidates("I want to talk")).toEqual([]);
    expect(set.candidates("A refund, now")).toEqual([]);
    expect(set.candidates("I NEED my MONEY BACK").map((p) => p.payload)).toEqual(["refund"]);
  });

  it("leaves no lexicon pattern without a prefilter", () => {
    for (const set of Object.values(families)) expect(set.unfiltered.map((p) => p.regex.source)).toEqual([]);
  });
});
