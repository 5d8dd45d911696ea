import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  analysisFrom,
  PACKED,
  PACKED_FORMAT,
  packAnalysis,
  unpackAnalysis,
  unpackHeadline,
} from "../../src/analysis/stored-form.js";
import type { AnalysisResult } from "../../src/analysis/types.js";
import { interactionInputSchema } from "../../src/contracts/interactions.js";
import { loadIdentityRules } from "../../src/services/identity/rules.js";
import { planInteraction } from "../../src/services/ingest/prepare.js";
import { analyzer } from "./engine.js";

// Every interaction of the shipped sample data (written for this repository), through the same
// preparation as ingest.
const identity = { phoneRegion: "GB" as const, rules: loadIdentityRules() };
const sampleAnalyses: AnalysisResult[] = readFileSync(
  new URL("../../sample-data/interactions.jsonl", import.meta.url),
  "utf8",
)
  .split("\n")
  .filter(Boolean)
  .map((line) => {
    const step = planInteraction(interactionInputSchema.parse(JSON.parse(line)) as never, identity, true);
    if (!step.ok) throw new Error(JSON.stringify(step.errors));
    return analyzer.analyze(step.plan.analysisInput).stored;
  });

describe("the packed stored analysis", () => {
  it("reads back as the very result, JSON for JSON, for every sample interaction", () => {
    let full = 0;
    let packed = 0;
    for (const a of sampleAnalyses) {
      const json = packAnalysis(a);
      expect(JSON.stringify(unpackAnalysis(json))).toBe(JSON.stringify(a));
      full += JSON.stringify(a).length;
      packed += json.length;
    }
    // The point of the form: about half the bytes (1,630 against 807 on average when written).
    expect(packed / full).toBeLessThan(0.6);
  });

  it("the sample data covers what the form encodes apart: transcripts, drivers with and without rules, topics without sentiment or key phrases", () => {
    const drivers = sampleAnalyses.flatMap((a) => a.sentiment.sentences.flatMap((s) => s.drivers));
    expect(sampleAnalyses.some((a) => a.turns && a.trajectory && a.speakers?.agent)).toBe(true);
    expect(drivers.some((d) => d.rules.length > 0)).toBe(true);
    expect(drivers.some((d) => d.rules.length === 0)).toBe(true);
    expect(sampleAnalyses.some((a) => a.topics.some((t) => t.sentiment === null) || a.keyPhrases.length > 0)).toBe(
      true,
    );
  });

  it("round-trips what the sample data may lack: other languages, reasons on drivers, bots, masked terms", () => {
    const inputs = [
      { channel: "text" as const, text: "El servicio fue terrible y nadie me ayudó. Quiero cancelar mi cuenta." },
      { channel: "text" as const, text: "Dies ist ein kurzer Satz auf Deutsch ohne Bewertung." },
      {
        channel: "chat" as const,
        turns: [
          { speaker: "bot" as const, text: "How can I help?" },
          { speaker: "customer" as const, text: "Not happy at all, call me on 07700 900123 or mail jo@example.com!!" },
        ],
      },
      {
        channel: "email" as const,
        subject: "URGENT",
        text: "I am NOT satisfied. This is the third time you have charged me twice. I will go to the ombudsman.",
      },
    ];
    const analyses = inputs.map((input) => analyzer.analyze(input).stored);
    for (const a of analyses) expect(JSON.stringify(unpackAnalysis(packAnalysis(a)))).toBe(JSON.stringify(a));
    expect(analyses.map((a) => a.language.scope)).toEqual(["full", "none", "full", "full"]);
    expect(analyses[2].pii.length).toBeGreaterThan(0);
    const withReason: AnalysisResult = JSON.parse(JSON.stringify(analyzer.analyze(inputs[3]).stored));
    withReason.sentiment.sentences[0].drivers.push({ term: "x", weight: -1, rules: [], reason: "a pattern" });
    expect(unpackAnalysis(packAnalysis(withReason)).sentiment.sentences[0].drivers.at(-1)).toEqual({
      term: "x",
      weight: -1,
      rules: [],
      reason: "a pattern",
    });
  });

  it("puts the format first and topics where SQL reads them", () => {
    const a = sampleAnalyses.find((x) => x.topics.length > 0)!;
    const packed = JSON.parse(packAnalysis(a));
    expect(packed[PACKED.format]).toBe(PACKED_FORMAT);
    expect(packed[PACKED.topics][0].slice(0, 2)).toEqual([a.topics[0].id, a.topics[0].label]);
    expect(packed[PACKED.needs].map((n: unknown[]) => n[0])).toEqual(a.needs.map((n) => n.id));
  });

  it("reads an analysis stored before the packed form (an object) as it is, and refuses an unknown format", () => {
    const a = sampleAnalyses[0];
    expect(analysisFrom(JSON.parse(JSON.stringify(a)))).toEqual(a);
    expect(() => unpackAnalysis(JSON.stringify([99]))).toThrow(/unknown stored analysis format 99/);
  });
});

describe("the headline of a stored analysis", () => {
  it("is the result without its sentences, speakers and turns, packed or not", () => {
    for (const a of sampleAnalyses.slice(0, 200)) {
      const { sentiment, speakers: _speakers, turns: _turns, ...rest } = a;
      const expected = { ...rest, sentiment: { score: sentiment.score, label: sentiment.label } };
      expect(unpackHeadline(packAnalysis(a))).toEqual(expected);
      expect(unpackHeadline(JSON.stringify(a))).toMatchObject(JSON.parse(JSON.stringify(expected)));
    }
  });
});
