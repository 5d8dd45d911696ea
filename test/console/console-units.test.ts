import { describe, expect, it } from "vitest";
import { highlightSegments } from "../../src/console/highlight.js";
import { parseInstant } from "../../src/console/format.js";
import { safeBack } from "../../src/console/session.js";
import { commonPaths, eventStepLabel } from "../../src/journeys/paths.js";

const drv = (term: string, weight: number) => ({ term, weight, rules: [] });

describe("highlightSegments", () => {
  it("marks drivers at word boundaries, case-insensitively, keeping every character", () => {
    const text = "Not GOOD at all, goodness me: good!";
    const segs = highlightSegments(text, [drv("good", 2)]);
    expect(segs.map((s) => s.text).join("")).toBe(text);
    expect(segs.filter((s) => s.driver).map((s) => s.text)).toEqual(["GOOD", "good"]);
  });

  it("prefers the earlier, then the longer, of overlapping drivers", () => {
    const segs = highlightSegments("not good at all", [drv("good", 2), drv("not good", -2)]);
    expect(segs.filter((s) => s.driver).map((s) => s.text)).toEqual(["not good"]);
  });

  it("leaves text plain when there are no drivers or lower-casing would shift offsets", () => {
    expect(highlightSegments("fine", [])).toEqual([{ text: "fine" }]);
    expect(highlightSegments("İstanbul bad", [drv("bad", -2)])).toEqual([{ text: "İstanbul bad" }]);
  });
});

describe("commonPaths", () => {
  it("counts the last steps before each moment, collapsing repeats, commonest first", () => {
    const j = (...labels: string[]) => labels.map((label, i) => ({ label, at: i * 1000 }));
    const paths = commonPaths(
      [
        j("login", "transaction failed", "chat", "chat", "social"),
        j("transaction failed", "chat", "social"),
        j("email", "email"),
      ],
      3,
    );
    expect(paths).toEqual([
      { steps: ["transaction failed", "chat", "social"], count: 2 },
      { steps: ["email"], count: 1 },
    ]);
  });

  it("orders each journey by time whatever order it arrives in", () => {
    expect(
      commonPaths([
        [
          { label: "b", at: 2 },
          { label: "a", at: 1 },
        ],
      ])[0].steps,
    ).toEqual(["a", "b"]);
  });

  it("names an event step by its type, and by its status only when that is a failure", () => {
    expect(eventStepLabel("transaction", "failed")).toBe("transaction failed");
    expect(eventStepLabel("login", "succeeded")).toBe("login");
    expect(eventStepLabel("page_view", "viewed")).toBe("page view");
    expect(eventStepLabel("payment", "card_declined")).toBe("payment card declined");
  });
});

describe("console helpers", () => {
  it("reads datetime-local values as UTC and rejects garbage", () => {
    expect(parseInstant("2026-03-10T11:20")?.toISOString()).toBe("2026-03-10T11:20:00.000Z");
    expect(parseInstant("2026-03-10T11:20:00+02:00")?.toISOString()).toBe("2026-03-10T09:20:00.000Z");
    expect(parseInstant("yesterday")).toBeUndefined();
    expect(parseInstant("")).toBeUndefined();
  });

  it("follows only paths inside the console", () => {
    expect(safeBack("/console/customers/x?a=1#item-y")).toBe("/console/customers/x?a=1#item-y");
    for (const bad of ["//evil.example", "https://evil.example/console", "/consoleevil", "/v1/keys", 42, undefined])
      expect(safeBack(bad)).toBe("/console");
  });

  it("judges a back path as the browser will resolve it: dot segments, backslashes and encodings cannot leave the console", () => {
    for (const bad of [
      "/console/..//evil.com",
      "//evil.com",
      "/\\evil.com",
      "https://evil.com",
      "/console/%2e%2e//evil.com",
      "/console/%2E%2E/%2E%2E//evil.com",
      "/console/..\\..\\/evil.com",
      "/console/../v1/keys",
    ]) {
      expect(safeBack(bad), bad).toBe("/console");
    }
    // What is followed is the resolved path: resolving it again yields itself.
    expect(safeBack("/console/./customers/../moments?x=1#m")).toBe("/console/moments?x=1#m");
  });
});
