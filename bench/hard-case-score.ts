// Scoring of the hand-written hard-case suites (test/analysis/hard-cases/*.json), shared by the
// test that holds the tuned suite to a floor, `npm run bench:hard-cases`, and bench/quality.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Analyzer } from "../src/analysis/index.js";
import type { Lexicons } from "../src/analysis/lexicons.js";
import type { SentimentLabel } from "../src/analysis/types.js";
import { root } from "./lib.js";

const reasonId = z.string().regex(/^[a-z_]+$/);
const hardCaseSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  category: z.string().regex(/^[a-z-]+$/),
  text: z.string().trim().min(1),
  channel: z.enum(["chat", "email", "social", "call_note"]).optional(),
  complaint: z.boolean(),
  sentiment: z.enum(["negative", "neutral", "positive"]),
  /**
   * A need id, topic id or complaint-risk reason code that a right analysis reports; a list where
   * the text honestly supports more than one reading (any one of them counts).
   */
  reason: z.union([reasonId, z.array(reasonId).min(2)]).optional(),
});
export type HardCase = z.infer<typeof hardCaseSchema>;

/**
 * `tuned` may be looked at while changing the engine; `untuned` never is, so its score is the one
 * that says how the engine does on phrasing nobody fitted it to.
 */
export const SUITES = {
  tuned: join(root, "test/analysis/hard-cases/tuned.json"),
  untuned: join(root, "test/analysis/hard-cases/untuned.json"),
} as const;
export type SuiteName = keyof typeof SUITES;

/** A suite file read and validated; a bad case throws naming its index and field. */
export function loadSuite(file: SuiteName | string): HardCase[] {
  const path = file in SUITES ? SUITES[file as SuiteName] : file;
  const parsed = z.array(hardCaseSchema).safeParse(JSON.parse(readFileSync(path, "utf8")));
  if (!parsed.success)
    throw new Error(`${path}: ${parsed.error.issues.map((i) => `[${i.path.join(".")}] ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** What a tool said about one case. `reasons` is empty for tools that give none. */
export interface Verdict {
  complaint: boolean;
  sentiment: SentimentLabel;
  reasons: string[];
}
export type Judge = (c: HardCase) => Verdict;
export type Miss = "complaint" | "sentiment" | "reason";

export interface CaseResult {
  case: HardCase;
  verdict: Verdict;
  misses: Miss[];
}
export interface Tally {
  n: number;
  /** Complaint, sentiment and (where the case names one) reason all right. */
  right: number;
  /** Complaint and sentiment right, the reason not asked for: the score a tool without reasons can reach. */
  labelsRight: number;
  complaintRight: number;
  sentimentRight: number;
  /** Cases that name a reason, and those whose reason was reported. */
  withReason: number;
  reasonRight: number;
}
export interface SuiteScore extends Tally {
  rate: number;
  labelRate: number;
  byCategory: Map<string, Tally>;
  results: CaseResult[];
}

const emptyTally = (): Tally => ({
  n: 0,
  right: 0,
  labelsRight: 0,
  complaintRight: 0,
  sentimentRight: 0,
  withReason: 0,
  reasonRight: 0,
});

function add(t: Tally, r: CaseResult) {
  t.n++;
  if (r.misses.length === 0) t.right++;
  if (!r.misses.includes("complaint") && !r.misses.includes("sentiment")) t.labelsRight++;
  if (!r.misses.includes("complaint")) t.complaintRight++;
  if (!r.misses.includes("sentiment")) t.sentimentRight++;
  if (r.case.reason !== undefined) {
    t.withReason++;
    if (!r.misses.includes("reason")) t.reasonRight++;
  }
}

/** The reasons a case accepts, as a list (empty when it names none). */
export const reasonsOf = (c: HardCase): string[] =>
  c.reason === undefined ? [] : typeof c.reason === "string" ? [c.reason] : c.reason;

export function missesOf(c: HardCase, v: Verdict): Miss[] {
  const misses: Miss[] = [];
  if (v.complaint !== c.complaint) misses.push("complaint");
  if (v.sentiment !== c.sentiment) misses.push("sentiment");
  if (c.reason !== undefined && !reasonsOf(c).some((r) => v.reasons.includes(r))) misses.push("reason");
  return misses;
}

/** Pure: every case judged, tallied overall and per category (categories in the order first seen). */
export function scoreSuite(cases: HardCase[], judge: Judge): SuiteScore {
  const total = emptyTally();
  const byCategory = new Map<string, Tally>();
  const results: CaseResult[] = [];
  for (const c of cases) {
    const verdict = judge(c);
    const r = { case: c, verdict, misses: missesOf(c, verdict) };
    results.push(r);
    add(total, r);
    let t = byCategory.get(c.category);
    if (!t) byCategory.set(c.category, (t = emptyTally()));
    add(t, r);
  }
  const rate = total.n ? total.right / total.n : 0;
  const labelRate = total.n ? total.labelsRight / total.n : 0;
  return { ...total, rate, labelRate, byCategory, results };
}

/**
 * Earshot's verdict: `complaint.flagged`, the overall label, and as reasons every need id, topic id
 * and complaint-risk reason code. A case without a channel goes in as plain text (no channel effect).
 */
export const earshotJudge =
  (analyzer: Analyzer): Judge =>
  (c) => {
    const a = analyzer.analyze({ channel: c.channel ?? "text", text: c.text }).stored;
    const reasons = [
      ...a.needs.map((n) => n.id),
      ...a.topics.map((t) => t.id),
      ...a.complaint.reasons.map((r) => r.code),
    ];
    // The hard cases are English; a text Earshot did not analyse counts as a neutral verdict.
    return {
      complaint: a.complaint.flagged,
      sentiment: a.sentiment.label === "not_analysed" ? "neutral" : a.sentiment.label,
      reasons,
    };
  };

/** The ids a case's `reason` may name: needs, topics and complaint-risk signal codes of these lexicons. */
export function knownReasons(lex: Lexicons): Set<string> {
  return new Set([...lex.needs.labels.keys(), ...lex.topics.labels.keys(), ...Object.keys(lex.complaint.signals)]);
}

/** The failures, grouped by category, one line each, for a test's or a bench's output. */
export function formatFailures(score: SuiteScore): string {
  const lines: string[] = [];
  for (const [category, t] of score.byCategory) {
    const failed = score.results.filter((r) => r.case.category === category && r.misses.length > 0);
    if (failed.length === 0) continue;
    lines.push(`${category}: ${t.right}/${t.n} right`);
    for (const { case: c, verdict: v, misses } of failed) {
      const got = misses.map((m) =>
        m === "complaint"
          ? `complaint ${v.complaint}`
          : m === "sentiment"
            ? `${v.sentiment} (want ${c.sentiment})`
            : `no ${reasonsOf(c).join(" or ")} in [${v.reasons.join(", ")}]`,
      );
      lines.push(
        `  ${c.id} ${JSON.stringify(c.text.length > 90 ? `${c.text.slice(0, 87)}...` : c.text)}: ${got.join("; ")}`,
      );
    }
  }
  return lines.join("\n");
}
