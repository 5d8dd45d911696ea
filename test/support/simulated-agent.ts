import { createHash } from "node:crypto";

// A simulated agent for calibration tests and the calibration bench: a deployment whose idea of a
// complaint differs from the shipped rules, and an agent who judges flags by it (with a small, fixed
// share of mistakes). Verdicts are given through the API like any agent's.

/** This deployment's complaints: anger, escalation, churn or an explicit complaint; negative sentiment or a refund alone is not one. */
const COMPLAINT_REASONS = new Set(["complaint", "escalate", "churn_threat", "anger"]);
/** Moments this deployment acts on: escalation, a public complaint, or a failure that drove repeated contact. */
export function momentIsReal(codes: string[]): boolean {
  return (
    codes.includes("escalation") ||
    codes.includes("public_complaint") ||
    (codes.includes("failed_before_contact") && codes.includes("repeat_contact"))
  );
}
export const interactionIsComplaint = (codes: string[]) => codes.some((c) => COMPLAINT_REASONS.has(c));

/** A stable draw in [0, 1) per id: the same agent makes the same mistakes on every run. */
export const draw = (id: string, salt: string) =>
  createHash("sha256").update(`${salt}:${id}`).digest().readUInt32BE(0) / 2 ** 32;

export interface AgentOptions {
  /** Share of verdicts the agent gets wrong. */
  mistakes?: number;
  /** Share of missed complaints the agent notices and reports. */
  reportsMisses?: number;
}

type Post = (path: string, body: unknown) => Promise<{ status: number }>;

/** Judges every moment and interaction given, as the simulated agent would; how many verdicts of each kind. */
export async function judgeAll(
  post: Post,
  // `key` draws the agent's mistakes (default: the id); a key that is the same on every run (the
  // posting system's id) makes the same mistakes on every run.
  items: {
    moments: Array<{ id: string; key?: string; codes: string[] }>;
    interactions: Array<{ id: string; key?: string; flagged: boolean; codes: string[] }>;
  },
  opts: AgentOptions = {},
) {
  const mistakes = opts.mistakes ?? 0.05;
  const reports = opts.reportsMisses ?? 0.5;
  const given = { moments: 0, interactions: 0 };
  for (const m of items.moments) {
    const real = momentIsReal(m.codes) !== draw(m.key ?? m.id, "mistake") < mistakes;
    if ((await post(`/v1/moments/${m.id}/verdict`, { verdict: real ? "confirmed" : "false_alarm" })).status === 201)
      given.moments++;
  }
  for (const i of items.interactions) {
    const real = interactionIsComplaint(i.codes) !== draw(i.key ?? i.id, "mistake") < mistakes;
    if (i.flagged) {
      if (
        (await post(`/v1/interactions/${i.id}/verdict`, { verdict: real ? "confirmed" : "false_alarm" })).status === 201
      )
        given.interactions++;
    } else if (real && draw(i.key ?? i.id, "notice") < reports) {
      if ((await post(`/v1/interactions/${i.id}/verdict`, { verdict: "missed" })).status === 201) given.interactions++;
    }
  }
  return given;
}
