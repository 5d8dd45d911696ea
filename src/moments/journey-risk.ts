import { z } from "zod";

// Journey-aware complaint risk: pure, like src/analysis (journey items and rules in, a score and
// linked reasons out). The service layer loads the customer's recent journey and stores moments.

export const momentRulesSchema = z.object({
  threshold: z.number().gt(0).max(1),
  severity: z.object({ critical: z.number(), high: z.number(), medium: z.number(), low: z.number() }),
  windowHours: z.number().positive(),
  failedBeforeContactMinutes: z.number().positive(),
  signals: z.record(z.string(), z.object({ weight: z.number().gt(0).max(1), reason: z.string().min(1) })),
  longWaitSeconds: z.object({ chat: z.number().positive(), call_note: z.number().positive() }),
});
export type MomentRules = z.infer<typeof momentRulesSchema>;

export interface JourneyItem {
  kind: "interaction" | "event";
  id: string;
  occurredAt: number;
  channel?: string;
  type?: string;
  status?: string | null;
  sentiment?: number;
  risk?: number;
  needs?: string[];
  topics?: string[];
  public?: boolean;
  waitSeconds?: number;
  holdSeconds?: number;
}

export interface MomentReason {
  code: string;
  text: string;
  weight: number;
  /** The interactions and events behind this reason. */
  refs: string[];
}

export interface MomentScore {
  risk: number;
  flagged: boolean;
  severity: "low" | "medium" | "high" | "critical" | null;
  reasons: MomentReason[];
}

const ISSUE_NEEDS = new Set(["cancel", "churn_threat", "refund", "complaint", "escalate", "billing_dispute", "technical_problem", "account_access", "fraud_report", "delivery_issue", "card_issue", "repeat_contact"]);
const isFailure = (i: JourneyItem) => i.kind === "event" && (i.type === "error" || i.status === "failed" || i.status === "declined");
const round = (x: number) => Math.round(x * 100) / 100;

/**
 * Scores the customer's situation as of `trigger`, from the journey items in the window before it
 * (inclusive). Each reason names the items behind it, so an agent can open them.
 */
export function scoreJourney(trigger: JourneyItem, journey: JourneyItem[], rules: MomentRules): MomentScore {
  const windowStart = trigger.occurredAt - rules.windowHours * 3_600_000;
  const recent = journey.filter((i) => i.occurredAt >= windowStart && i.occurredAt <= trigger.occurredAt);
  const contacts = recent.filter((i) => i.kind === "interaction");
  const latestContact = contacts[contacts.length - 1];
  const signals: Array<{ code: string; strength: number; refs: string[]; detail?: string }> = [];

  if (latestContact?.risk !== undefined) signals.push({ code: "contact_risk", strength: latestContact.risk, refs: [latestContact.id], detail: `${latestContact.risk.toFixed(2)}` });

  const negative = contacts.filter((c) => (c.sentiment ?? 0) <= -0.1);
  if (negative.length >= 2) signals.push({ code: "negative_across_contacts", strength: Math.min(1, negative.length / 3), refs: negative.map((c) => c.id), detail: `(${negative.length} contacts)` });

  // The same issue (a need or topic) raised in more than one contact.
  // Each contact counts once per issue; lists grow in place (copying them per contact was quadratic for
  // a customer with hundreds of contacts in the window).
  const issues = new Map<string, JourneyItem[]>();
  const raise = (key: string, c: JourneyItem) => {
    const cs = issues.get(key);
    if (!cs) issues.set(key, [c]);
    else if (cs[cs.length - 1] !== c) cs.push(c);
  };
  for (const c of contacts) {
    for (const n of c.needs ?? []) if (ISSUE_NEEDS.has(n)) raise(`need:${n}`, c);
    for (const t of c.topics ?? []) raise(`topic:${t}`, c);
  }
  const repeated = [...issues.entries()].filter(([, cs]) => cs.length >= 2).sort((a, b) => b[1].length - a[1].length);
  if (repeated.length) {
    const [key, cs] = repeated[0];
    signals.push({ code: "repeat_contact", strength: Math.min(1, (cs.length - 1) / 2), refs: cs.map((c) => c.id), detail: `(${cs.length} contacts about ${key.split(":")[1].replace(/_/g, " ")})` });
    const channels = new Set(cs.map((c) => c.channel));
    if (channels.size >= 2) signals.push({ code: "channel_switch", strength: Math.min(1, (channels.size - 1) / 2), refs: cs.map((c) => c.id), detail: `(${[...channels].join(" → ")})` });
  }

  // A failure shortly before the first contact in the window: the contact is probably about it.
  const firstContact = contacts[0];
  if (firstContact) {
    const before = recent.filter((i) => isFailure(i) && i.occurredAt <= firstContact.occurredAt && firstContact.occurredAt - i.occurredAt <= rules.failedBeforeContactMinutes * 60_000);
    if (before.length) signals.push({ code: "failed_before_contact", strength: 1, refs: [...before.map((i) => i.id), firstContact.id] });
  }

  const publicNegative = contacts.filter((c) => c.channel === "social" && c.public !== false && (c.sentiment ?? 0) <= -0.1);
  if (publicNegative.length) signals.push({ code: "public_complaint", strength: 1, refs: publicNegative.map((c) => c.id) });

  const escalating = contacts.filter((c) => (c.needs ?? []).some((n) => n === "escalate" || n === "churn_threat" || n === "cancel"));
  if (escalating.length) signals.push({ code: "escalation", strength: 1, refs: escalating.map((c) => c.id) });

  const waited = contacts.filter((c) => (c.waitSeconds ?? 0) >= rules.longWaitSeconds.chat || (c.holdSeconds ?? 0) >= rules.longWaitSeconds.call_note);
  if (waited.length) {
    const longest = Math.max(...waited.map((c) => Math.max(c.waitSeconds ?? 0, c.holdSeconds ?? 0)));
    signals.push({ code: "long_wait", strength: 1, refs: waited.map((c) => c.id), detail: `(${Math.round(longest)} s)` });
  }

  const reasons: MomentReason[] = [];
  for (const s of signals) {
    const def = rules.signals[s.code];
    if (!def) continue;
    const weight = round(def.weight * Math.min(1, Math.max(0, s.strength)));
    if (weight < 0.03) continue;
    reasons.push({ code: s.code, text: s.detail ? `${def.reason} ${s.detail}` : def.reason, weight, refs: [...new Set(s.refs)] });
  }
  reasons.sort((a, b) => b.weight - a.weight);
  const risk = round(1 - reasons.reduce((p, r) => p * (1 - r.weight), 1));
  const sev = rules.severity;
  const severity = risk >= sev.critical ? "critical" : risk >= sev.high ? "high" : risk >= sev.medium ? "medium" : risk >= sev.low ? "low" : null;
  return { risk, flagged: risk >= rules.threshold, severity, reasons };
}
