import { describe, expect, it } from "vitest";
import { createAnalyzer } from "../../src/analysis/index.js";
import { withLanguageModel } from "../../src/analysis/lexicons.js";
import { loadRuleFile, languageModelFile, defaultLexiconDir } from "../../src/services/lexicons.js";
import { modelFileSchema } from "../../src/analysis/learned/index.js";
import { FeatureBuffer } from "../../src/analysis/learned/feature-buffer.js";
import { hashFeatures } from "../../src/analysis/learned/hashing.js";
import { keepDriverTerms } from "../../src/analysis/learned/opinion-terms.js";
import { join } from "node:path";
import { statSync } from "node:fs";
import { analyse, analyseRules, lexicons } from "./engine.js";

// Sentences written for these tests (none from a data set): clear opinions each language's model
// must read as the customer meant them, and requests with no opinion that stay neutral.
const clear: Array<{ code: string; text: string; label: "positive" | "negative" }> = [
  { code: "zh", text: "服务特别周到，房间干净，下次还来", label: "positive" },
  { code: "zh", text: "等了两个小时才送到，菜全凉了，再也不点了", label: "negative" },
  { code: "zh", text: "櫃檯服務很熱情，非常滿意", label: "positive" },
  { code: "ko", text: "상담원분이 친절하게 도와주셔서 정말 감사했어요", label: "positive" },
  { code: "ko", text: "배송이 일주일이나 늦고 연락도 안 돼요 최악입니다", label: "negative" },
  { code: "es", text: "Me atendieron genial, todo perfecto, gracias", label: "positive" },
  { code: "es", text: "Llevo una semana esperando y nadie me contesta, qué vergüenza", label: "negative" },
];

describe("each language's learned model", () => {
  it.each(clear)("$code: $text", ({ code, text, label }) => {
    const r = analyse(text);
    expect(r.language.code).toBe(code);
    expect(r.sentiment.label).toBe(label);
  });

  it("is loaded with the language's lexicons and moves its scores", () => {
    for (const code of ["zh", "ko", "es"]) {
      const model = lexicons.packs.get(code)?.model;
      expect(model?.file.language, code).toBe(code);
    }
    // The same text through the rules alone and with the model: the score is the model's, not the rules'.
    const text = "这家店还行吧，就是有点慢";
    expect(analyse(text).sentiment.score).not.toBe(analyseRules(text).sentiment.score);
  });

  it("leaves a request with no opinion neutral", () => {
    for (const text of ["我想注销这张信用卡", "이 카드 해지하고 싶어요"])
      expect(analyse(text).sentiment.label, text).toBe("neutral");
  });

  it("is part of the version, so a stored analysis names the model", () => {
    const file = loadRuleFile(join(defaultLexiconDir, languageModelFile("ko")), modelFileSchema).data;
    const other = withLanguageModel(lexicons, "ko", {
      ...file,
      heads: file.heads.map((h) => ({ ...h, bias: h.bias + 1 })),
    });
    expect(other.version).not.toBe(lexicons.version);
    const text = "그냥 그랬어요";
    expect(createAnalyzer(other).analyze({ channel: "text", text }).stored.sentiment.score).toBeGreaterThan(
      analyse(text).sentiment.score ?? 0,
    );
    expect(() => withLanguageModel(lexicons, "zh", file)).toThrow(/ko/);
  });

  it("keeps the files small", () => {
    let total = 0;
    for (const code of ["zh", "ko", "es"]) total += statSync(join(defaultLexiconDir, languageModelFile(code))).size;
    expect(total).toBeLessThan(1024 * 1024);
  });
});

describe("a model's features of the rules' opinion words only (terms: drivers)", () => {
  // 酒店 (hotel) is a domain's noun and 的 a function word: a model trained on one review domain
  // would learn them as that domain's length or prior, so they give no features.
  const word = (text: string, start: number) => ({
    text,
    lower: text,
    kind: "word" as const,
    start,
    end: start + text.length,
  });
  const tokens = [word("酒店", 0), word("的", 2), word("服务", 3), word("很", 5), word("差", 6)];
  const sentences = [{ tokens, drivers: [{ term: "很 差" }] }];
  const options = { chars: "run" as const, minChars: 1, maxChars: 3, key: "lower" as const };

  it("keeps the features of driver words and the bigrams touching them, and no other", () => {
    const all = new FeatureBuffer();
    hashFeatures(sentences, 2 ** 18 - 1, 256, all, options);
    const kept = new FeatureBuffer();
    hashFeatures(sentences, 2 ** 18 - 1, 256, kept, options);
    keepDriverTerms(sentences, kept);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(all.length);
    const terms = new Set(Array.from(kept.owners.subarray(0, kept.length), (o) => kept.termOf(o)));
    expect([...terms].sort()).toEqual(["很", "很 差", "差", "服务 很"].sort());
  });
});
