// Quick figures after training a language's model, through the whole analyzer with the new model:
// the rows it never trained on (Korean: NSMC's never-seen fifth; Spanish: InterTASS test; Chinese:
// the calibration rows of each domain). bench/languages-quality.ts has the full protocol.
import { createAnalyzer } from "../../src/analysis/index.js";
import type { ModelFile } from "../../src/analysis/learned/index.js";
import { withLanguageModel } from "../../src/analysis/lexicons.js";
import { defaultLexiconDir, loadLexicons } from "../../src/services/lexicons.js";
import { chineseReviews, interTass, nsmc, type Polarity } from "../datasets.js";
import { isHeldOut } from "./corpus.js";
import { isKoreanTest, type PackLanguage } from "./language-corpus.js";
import { macroRecall } from "./metrics.js";

export function evaluateLanguage(language: PackLanguage, file: ModelFile): void {
  const lex = withLanguageModel(loadLexicons(defaultLexiconDir, { model: false }), language, file);
  const analyzer = createAnalyzer(lex);
  const score = (name: string, rows: Array<{ text: string; label: Polarity }>, threeClass: boolean) => {
    const out = rows.map((r) => analyzer.analyze({ channel: "text", text: r.text }).stored.sentiment);
    if (threeClass) {
      const labels = out.map((s) => (s.label === "not_analysed" ? "neutral" : s.label));
      const recall = macroRecall(
        labels,
        rows.map((r) => r.label),
        ["negative", "neutral", "positive"],
      );
      console.log(`${language}: ${name} (${rows.length}): 3-class macro recall ${recall.toFixed(3)}`);
      return;
    }
    const right = out.filter((s, i) => ((s.score ?? 0) > 0 ? "positive" : "negative") === rows[i].label).length;
    console.log(`${language}: ${name} (${rows.length}): binary accuracy ${(right / rows.length).toFixed(3)}`);
  };
  if (language === "zh")
    for (const domain of ["hotel", "delivery"] as const)
      score(
        `${domain} reviews, calibration rows`,
        chineseReviews(domain).filter((r) => isHeldOut(r.text)),
        false,
      );
  if (language === "ko")
    score(
      "NSMC never-seen fifth",
      nsmc().filter((r) => isKoreanTest(r.text)),
      false,
    );
  if (language === "es") score("InterTASS test", interTass("test"), true);
}
