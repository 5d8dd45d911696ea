import { createAnalyzer, type AnalysisInput } from "../../src/analysis/index.js";
import { loadLexicons } from "../../src/services/lexicons.js";

export const lexicons = loadLexicons();
export const analyzer = createAnalyzer(lexicons);
export const analyse = (text: string, extra: Partial<AnalysisInput> = {}) => analyzer.analyze({ channel: "text", text, ...extra }).stored;
export const rulesOf = (r: ReturnType<typeof analyse>) => r.sentiment.sentences.flatMap((s) => s.drivers.flatMap((d) => d.rules));
