import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "./support/harness.js";
import { chatInput, emailInput, socialInput } from "./support/factories.js";
import { createAnalyzer } from "../src/analysis/index.js";
import { loadLexicons } from "../src/services/lexicons.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ ANALYSIS_WORKERS: "2" });
});
afterAll(() => h.close());

describe("ingest with analysis on worker threads", () => {
  it("stores the same analysis the engine gives in-process, for every item of a batch", async () => {
    const items: Array<Record<string, any>> = Array.from({ length: 120 }, (_, i) => [chatInput(), emailInput(), socialInput({ text: `Charged twice again, order ${i}. Furious!` })][i % 3]);
    const body = await (await h.request("POST", "/v1/interactions/batch", { body: { items } })).json();
    expect(body.created).toBe(120);
    const local = createAnalyzer(loadLexicons());
    for (const i of [0, 1, 2, 119]) {
      const stored = await (await h.request("GET", `/v1/interactions/${body.results[i].id}`)).json();
      expect(stored.analysisVersion).toBe(local.version);
      expect(stored.analysis.sentiment.score).toBe(local.analyze(stored.channel === "chat" ? { channel: "chat", turns: items[i].turns } : { channel: stored.channel, subject: stored.subject ?? undefined, text: stored.text }).stored.sentiment.score);
    }
  });
});
