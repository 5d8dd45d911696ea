import { describe, expect, it } from "vitest";
import { TERM_FAMILY } from "../../src/analysis/lexicons.js";
import { stem } from "../../src/analysis/stem.js";
import { tokenize } from "../../src/analysis/text.js";
import { lexicons } from "./engine.js";

// The cache stands in for five separate lookups on the hot path; it must answer exactly what they do.
describe("token facts in one lookup", () => {
  const text =
    "I'm NOT happy :( the refund for my card was charged twice, 3 times!!! Cancelling my account, thanks for nothing @bank";
  const families = [
    [TERM_FAMILY.emotions, lexicons.emotions.terms],
    [TERM_FAMILY.needs, lexicons.needs.terms],
    [TERM_FAMILY.topics, lexicons.topics.terms],
  ] as const;

  it("answers the vocabulary entry, the stem and each term family's starts for every token", () => {
    for (const t of tokenize(text)) {
      const isWord = t.kind === "word";
      const info = lexicons.tokens.get(t.lower, isWord);
      const s = isWord ? stem(t.lower) : t.lower;
      expect(info.stem, t.text).toBe(s);
      expect(info.word, t.text).toBe(lexicons.sentiment.vocabulary.get(t.lower));
      for (const [family, terms] of families)
        expect(info.starts[family], `${t.text} in family ${family}`).toBe(terms.startingWith(s));
    }
  });

  it("finds the same terms through the cache as through the matcher's own index", () => {
    const tokens = tokenize(text);
    const stems = tokens.map((t) => (t.kind === "word" ? stem(t.lower) : t.lower));
    const infos = tokens.map((t) => lexicons.tokens.get(t.lower, t.kind === "word"));
    for (const [family, terms] of families) {
      const direct = terms.match(tokens, stems);
      expect(terms.match(tokens, stems, infos, family)).toEqual(direct);
    }
    expect(lexicons.needs.terms.match(tokens, stems, infos, TERM_FAMILY.needs).length).toBeGreaterThan(0);
  });

  it("keeps words and other tokens apart (a number's stem is itself)", () => {
    expect(lexicons.tokens.get("3", false).stem).toBe("3");
    expect(lexicons.tokens.get("charged", true).stem).toBe(stem("charged"));
  });
});
