import { expect } from "vitest";
import { analyse, analyseRules } from "./engine.js";

/**
 * One row of a language table: a sentence written for these tests, what it must come out as, and why.
 * The label is the rules' (these tables test the lexicons); the learned models are measured by
 * bench:languages-learned and tested in languages-learned.test.ts.
 */
export interface Case {
  text: string;
  label: "positive" | "neutral" | "negative";
  /** Terms (as written) that must be among the drivers. */
  drivers?: string[];
  /** Rules one of the drivers must carry (negated, intensified, contrast-after, …). */
  rules?: string[];
  needs?: string[];
  /** Needs that must not be found. */
  notNeeds?: string[];
  why: string;
}

export function check(code: string, c: Case) {
  const r = analyse(c.text);
  expect(r.language, c.why).toMatchObject({ code, analysed: true, scope: "full" });
  expect(analyseRules(c.text).sentiment.label, c.why).toBe(c.label);
  const drivers = r.sentiment.sentences.flatMap((s) => s.drivers);
  for (const term of c.drivers ?? [])
    expect(
      drivers.map((d) => d.term),
      c.why,
    ).toContain(term);
  for (const rule of c.rules ?? [])
    expect(
      drivers.flatMap((d) => d.rules),
      c.why,
    ).toContain(rule);
  const needs = r.needs.map((n) => n.id);
  for (const n of c.needs ?? []) expect(needs, c.why).toContain(n);
  for (const n of c.notNeeds ?? []) expect(needs, c.why).not.toContain(n);
  return r;
}
