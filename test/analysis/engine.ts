import { createAnalyzer, withoutModel, type AnalysisInput } from "../../src/analysis/index.js";
import { loadLexicons } from "../../src/services/lexicons.js";

export const lexicons = loadLexicons();
export const analyzer = createAnalyzer(lexicons);
export const analyse = (text: string, extra: Partial<AnalysisInput> = {}) =>
  analyzer.analyze({ channel: "text", text, ...extra }).stored;
export const rulesOf = (r: ReturnType<typeof analyse>) =>
  r.sentiment.sentences.flatMap((s) => s.drivers.flatMap((d) => d.rules));
/** The lexicon engine alone (no learned model): for tests of the rules themselves. */
export const rulesAnalyzer = createAnalyzer(withoutModel(lexicons));
export const analyseRules = (text: string, extra: Partial<AnalysisInput> = {}) =>
  rulesAnalyzer.analyze({ channel: "text", text, ...extra }).stored;
