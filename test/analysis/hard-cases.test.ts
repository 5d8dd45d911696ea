import { describe, expect, it } from "vitest";
import {
  earshotJudge,
  formatFailures,
  knownReasons,
  loadSuite,
  reasonsOf,
  scoreSuite,
  type HardCase,
  type Judge,
} from "../../bench/hard-case-score.js";
import { analyzer, lexicons } from "./engine.js";

// Hand-written customer phrases (docs/hard-cases.md). Only the tuned suite is scored here: the
// untuned one is never looked at while changing the engine, so it is only checked for shape, and
// its score comes from `npm run bench:hard-cases`.
const suites: Array<[name: string, cases: HardCase[], minimum: number]> = [
  ["tuned", loadSuite("tuned"), 200],
  ["untuned", loadSuite("untuned"), 100],
];
const known = knownReasons(lexicons);
const normalised = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

describe.each(suites)("%s suite, its shape", (_name, cases, minimum) => {
  it(`holds at least ${minimum} cases, each id once`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(minimum);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => normalised(c.text))).size).toBe(cases.length);
  });

  it("is balanced: about half complaints, every sentiment label well represented", () => {
    const complaints = cases.filter((c) => c.complaint).length / cases.length;
    expect(complaints).toBeGreaterThanOrEqual(0.45);
    expect(complaints).toBeLessThanOrEqual(0.65);
    for (const label of ["negative", "neutral", "positive"]) {
      expect(cases.filter((c) => c.sentiment === label).length / cases.length, label).toBeGreaterThanOrEqual(0.1);
    }
    // Hard negatives are the point of several categories: each has some cases that are not complaints.
    expect(cases.filter((c) => !c.complaint && c.sentiment === "negative").length).toBeGreaterThanOrEqual(5);
  });

  it.each(cases)("$id names only reasons the lexicons define and is analysed as English", (c) => {
    for (const r of reasonsOf(c)) expect(known, `${c.id}: ${r}`).toContain(r);
    const { language } = analyzer.analyze({ channel: c.channel ?? "text", text: c.text }).stored;
    expect(language.scope, `${c.id} read as ${language.code}`).toBe("full");
  });
});

describe("the two suites together", () => {
  it("share no id and no text", () => {
    const [[, tuned], [, untuned]] = suites;
    const ids = new Set(tuned.map((c) => c.id));
    const texts = new Set(tuned.map((c) => normalised(c.text)));
    expect(untuned.filter((c) => ids.has(c.id)).map((c) => c.id)).toEqual([]);
    expect(untuned.filter((c) => texts.has(normalised(c.text))).map((c) => c.id)).toEqual([]);
  });
});

describe("scoring a suite", () => {
  const cases: HardCase[] = [
    { id: "a-001", category: "a", text: "x", complaint: true, sentiment: "negative", reason: "refund" },
    { id: "a-002", category: "a", text: "y", complaint: false, sentiment: "neutral" },
    {
      id: "b-001",
      category: "b",
      text: "z",
      complaint: true,
      sentiment: "negative",
      reason: ["fraud_report", "billing_dispute"],
    },
  ];
  const said: Record<string, ReturnType<Judge>> = {
    x: { complaint: true, sentiment: "negative", reasons: ["billing"] },
    y: { complaint: false, sentiment: "neutral", reasons: [] },
    z: { complaint: true, sentiment: "neutral", reasons: ["billing_dispute"] },
  };

  it("counts a case right only when complaint, sentiment and a named reason all match", () => {
    const s = scoreSuite(cases, (c) => said[c.text]);
    expect(s.results.map((r) => r.misses)).toEqual([["reason"], [], ["sentiment"]]);
    expect({
      right: s.right,
      labelsRight: s.labelsRight,
      reasonRight: s.reasonRight,
      withReason: s.withReason,
    }).toEqual({
      right: 1,
      labelsRight: 2,
      reasonRight: 1,
      withReason: 2,
    });
    expect(s.rate).toBeCloseTo(1 / 3);
    expect([...s.byCategory].map(([k, t]) => [k, t.n, t.right])).toEqual([
      ["a", 2, 1],
      ["b", 1, 0],
    ]);
    expect(formatFailures(s)).toContain("b-001");
    expect(formatFailures(s)).not.toContain("a-002");
  });
});

/**
 * The target (docs/hard-cases.md), a few points under today's measured rate (0.911): a floor against
 * regressions. The untuned suite's rate is reported by the bench, never asserted.
 */
const TUNED_FLOOR = 0.85;

describe("tuned suite through the analyzer", () => {
  it(`gets at least ${Math.round(TUNED_FLOOR * 100)}% of the cases right (target 85%)`, () => {
    const score = scoreSuite(suites[0][1], earshotJudge(analyzer));
    const perCategory = [...score.byCategory].map(([k, t]) => `${k} ${t.right}/${t.n}`).join(", ");
    console.log(
      `tuned suite: ${score.right}/${score.n} right (${(score.rate * 100).toFixed(1)}%): ${perCategory}\n${formatFailures(score)}`,
    );
    expect(score.rate).toBeGreaterThanOrEqual(TUNED_FLOOR);
  });
});
