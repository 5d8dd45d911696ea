import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultLexiconDir, LexiconError, loadLexicons } from "../../src/services/lexicons.js";
import { createAnalyzer } from "../../src/analysis/index.js";

const copy = () => {
  const dir = mkdtempSync(join(tmpdir(), "earshot-lex-"));
  cpSync(defaultLexiconDir, dir, { recursive: true });
  return dir;
};
const edit = (dir: string, file: string, change: (json: any) => void) => {
  const path = join(dir, file);
  const json = JSON.parse(readFileSync(path, "utf8"));
  change(json);
  writeFileSync(path, JSON.stringify(json));
};

describe("lexicons", () => {
  it("are versioned by content", () => {
    const dir = copy();
    const before = loadLexicons(dir).version;
    expect(loadLexicons(dir).version).toBe(before);
    edit(dir, "sentiment.json", (j) => (j.words.lacklustre = -2));
    expect(loadLexicons(dir).version).not.toBe(before);
  });

  it("take a bank's own words, topics and needs without code changes", () => {
    const dir = copy();
    edit(dir, "sentiment.json", (j) => (j.words.bounced = -2));
    edit(dir, "topics.json", (j) =>
      j.topics.push({ id: "mortgage", label: "Mortgages", terms: { mortgage: 0.9, remortgage: 0.9 } }),
    );
    edit(dir, "needs.json", (j) =>
      j.needs.push({
        id: "payment_holiday",
        label: "Payment holiday",
        terms: { "payment holiday": 0.9 },
        patterns: {},
      }),
    );
    const r = createAnalyzer(loadLexicons(dir)).analyze({
      channel: "text",
      text: "My remortgage payment bounced, can I get a payment holiday?",
    }).stored;
    expect(r.topics.map((t) => t.id)).toContain("mortgage");
    expect(r.needs.map((n) => n.id)).toContain("payment_holiday");
    expect(r.sentiment.label).toBe("negative");
  });

  it("refuse an invalid file, naming the file and field", () => {
    const dir = copy();
    edit(dir, "needs.json", (j) => (j.needs[0].terms.cancel = 7));
    expect(() => loadLexicons(dir)).toThrow(LexiconError);
    expect(() => loadLexicons(dir)).toThrow(/needs\.json[\s\S]*needs\.0\.terms\.cancel/);
  });

  it("refuse a bad regular expression", () => {
    const dir = copy();
    edit(dir, "sentiment.json", (j) => (j.patterns[0].regex = "(unclosed"));
    expect(() => loadLexicons(dir)).toThrow(/patterns\.0\.regex: must be a valid regular expression/);
  });
});
