import { availableParallelism } from "node:os";
import type { AnalysisInput } from "../analysis/index.js";
import type { Config } from "../config.js";
import { inProcessAnalyzer, WorkerAnalyzer, type BatchAnalyzer } from "./analysis-pool.js";

// A few messages of each shape, analysed by every worker before the server listens.
const WARM_UP_MESSAGES: AnalysisInput[] = Array.from(
  { length: 20 },
  (_, i) =>
    [
      {
        channel: "text" as const,
        text: `I was charged twice for order ${i} and nobody answered. This is unacceptable!`,
      },
      {
        channel: "chat" as const,
        turns: [
          { speaker: "customer" as const, text: "My card was declined again." },
          { speaker: "agent" as const, text: "Sorry, fixed now." },
        ],
      },
      { channel: "email" as const, subject: "Question", text: "How do I change my address? Thanks, Sam" },
    ][i % 3],
);

/**
 * The analysis engine the process uses: a warmed worker pool, or the engine in this thread when
 * ANALYSIS_WORKERS is 0. With worker threads only they load the engine (~70 MB of lexicons and
 * matchers); the main thread hands them /v1/analyze too. A bad lexicon file fails the warm-up and so
 * the start.
 */
export async function startAnalyzer(config: Config, lexiconDir: string | undefined): Promise<BatchAnalyzer> {
  const workers =
    config.ANALYSIS_WORKERS ?? Math.max(1, Math.floor(availableParallelism() / config.EARSHOT_WORKERS) - 1);
  if (workers > 0) {
    const pool = new WorkerAnalyzer(lexiconDir, workers);
    try {
      await pool.warm(WARM_UP_MESSAGES);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }
  const [{ createAnalyzer }, { loadLexicons }] = await Promise.all([
    import("../analysis/index.js"),
    import("../services/lexicons.js"),
  ]);
  return inProcessAnalyzer(createAnalyzer(loadLexicons(lexiconDir)));
}
