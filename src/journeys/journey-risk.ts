import { z } from "zod";

// Journey-aware complaint risk: pure, like src/analysis (journey items and rules in, a score and
// linked reasons out). The service layer loads the customer's recent journey and stores moments.

const cut = z.number().min(0).max(1);
const share = z.number().gt(0).lt(1);

export const momentRulesSchema = z
  .object({
    threshold: z.number().gt(0).max(1),
    /**
     * Where each band starts, as a moment score. A cut is compared at its own precision (at least two
     * decimals): 0.9 against the score as shown, 0.99993 against the score to five decimals, so a
     * calibration can separate moments whose shown scores all read 1.00.
     */
    severity: z.object({ critical: cut, high: cut, medium: cut, low: cut }),
    /**
     * The share of the flags each band was cut to hold over a calibration's window (the rest are
     * `low`); absent in the shipped file, whose cuts are fixed.
     */
    severityShares: z.object({ critical: share, high: share, medium: share }).optional(),
    windowHours: z.number().positive(),
    failedBeforeContactMinutes: z.number().positive(),
    signals: z.record(z.string(), z.object({ weight: z.number().gt(0).max(1), reason: z.string().min(1) })),
    longWaitSeconds: z.object({ chat: z.number().positive(), call_note: z.number().positive() }),
  })
  .superRefine((r, ctx) => {
    const s = r.severity;
    if (!(s.low <= s.medium && s.medium <= s.high && s.high <= s.critical))
      ctx.addIssue({ code: "custom", path: ["severity"], message: "bands must rise: low ≤ medium ≤ high ≤ critical" });
    const shares = r.severityShares;
    if (shares && shares.critical + shares.high + shares.medium >= 1)
      ctx.addIssue({ code: "custom", path: ["severityShares"], message: "the shares must leave some flags low" });
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
  /** Set for a contact written in a language Earshot does not analyse: its code ("fr"). */
  unreadLanguage?: string;
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

const ISSUE_NEEDS = new Set([
  "cancel",
  "churn_threat",
  "refund",
  "complaint",
  "escalate",
  "billing_dispute",
  "technical_problem",
  "account_access",
  "fraud_report",
  "delivery_issue",
  "card_issue",
  "repeat_contact",
]);
const isFailure = (i: JourneyItem) =>
  i.kind === "event" && (i.type === "error" || i.status === "failed" || i.status === "declined");
const round = (x: number) => Math.round(x * 100) / 100;
const isEscalation = (need: string) => need === "escalate" || need === "churn_threat" || need === "cancel";
const byWeightDesc = (a: MomentReason, b: MomentReason) => b.weight - a.weight;

function idsOf(items: JourneyItem[]): string[] {
  const ids: string[] = new Array(items.length);
  for (let k = 0; k < items.length; k++) ids[k] = items[k].id;
  return ids;
}

/** Counts contact `c` once under issue `key`. */
function raise(issues: Map<string, JourneyItem[]>, key: string, c: JourneyItem) {
  const cs = issues.get(key);
  if (!cs) issues.set(key, [c]);
  else if (cs[cs.length - 1] !== c) cs.push(c);
}

/**
 * Scores the customer's situation as of `trigger`, from the journey items in the window before it
 * (inclusive). Each reason names the items behind it, so an agent can open them.
 *
 * Loops and module-level helpers rather than callbacks made per call: this runs for every scored
 * customer, and V8 drops a closure's optimised code once the closure is garbage.
 */
export function scoreJourney(trigger: JourneyItem, journey: JourneyItem[], rules: MomentRules): MomentScore {
  const windowStart = trigger.occurredAt - rules.windowHours * 3_600_000;
  const recent: JourneyItem[] = [];
  const contacts: JourneyItem[] = [];
  for (const i of journey) {
    if (i.occurredAt < windowStart || i.occurredAt > trigger.occurredAt) continue;
    recent.push(i);
    if (i.kind === "interaction") contacts.push(i);
  }
  const latestContact = contacts[contacts.length - 1];
  const signals: Array<{ code: string; strength: number; refs: string[]; detail?: string }> = [];

  if (latestContact?.risk !== undefined)
    signals.push({
      code: "contact_risk",
      strength: latestContact.risk,
      refs: [latestContact.id],
      detail: `${latestContact.risk.toFixed(2)}`,
    });

  const negative: JourneyItem[] = [];
  const publicNegative: JourneyItem[] = [];
  const escalating: JourneyItem[] = [];
  const waited: JourneyItem[] = [];
  // The same issue (a need or topic) raised in more than one contact. Each contact counts once per
  // issue; lists grow in place (copying them per contact was quadratic for a customer with hundreds
  // of contacts in the window).
  const issues = new Map<string, JourneyItem[]>();
  for (const c of contacts) {
    const isNegative = (c.sentiment ?? 0) <= -0.1;
    if (isNegative) negative.push(c);
    if (isNegative && c.channel === "social" && c.public !== false) publicNegative.push(c);
    if (c.needs?.some(isEscalation)) escalating.push(c);
    if ((c.waitSeconds ?? 0) >= rules.longWaitSeconds.chat || (c.holdSeconds ?? 0) >= rules.longWaitSeconds.call_note)
      waited.push(c);
    for (const n of c.needs ?? []) if (ISSUE_NEEDS.has(n)) raise(issues, `need:${n}`, c);
    for (const t of c.topics ?? []) raise(issues, `topic:${t}`, c);
  }
  if (negative.length >= 2)
    signals.push({
      code: "negative_across_contacts",
      strength: Math.min(1, negative.length / 3),
      refs: idsOf(negative),
      detail: `(${negative.length} contacts)`,
    });

  // The most repeated issue (the first raised among equals).
  let top: [string, JourneyItem[]] | undefined;
  for (const entry of issues) if (entry[1].length >= 2 && (!top || entry[1].length > top[1].length)) top = entry;
  if (top) {
    const [key, cs] = top;
    signals.push({
      code: "repeat_contact",
      strength: Math.min(1, (cs.length - 1) / 2),
      refs: idsOf(cs),
      detail: `(${cs.length} contacts about ${key.split(":")[1].replace(/_/g, " ")})`,
    });
    const channels = new Set<string | undefined>();
    for (const c of cs) channels.add(c.channel);
    if (channels.size >= 2)
      signals.push({
        code: "channel_switch",
        strength: Math.min(1, (channels.size - 1) / 2),
        refs: idsOf(cs),
        detail: `(${[...channels].join(" → ")})`,
      });
  }

  // A failure shortly before the first contact in the window: the contact is probably about it.
  const firstContact = contacts[0];
  if (firstContact) {
    const before: string[] = [];
    for (const i of recent) {
      if (
        isFailure(i) &&
        i.occurredAt <= firstContact.occurredAt &&
        firstContact.occurredAt - i.occurredAt <= rules.failedBeforeContactMinutes * 60_000
      )
        before.push(i.id);
    }
    if (before.length) signals.push({ code: "failed_before_contact", strength: 1, refs: [...before, firstContact.id] });
  }

  if (publicNegative.length) signals.push({ code: "public_complaint", strength: 1, refs: idsOf(publicNegative) });
  if (escalating.length) signals.push({ code: "escalation", strength: 1, refs: idsOf(escalating) });
  if (waited.length) {
    let longest = 0;
    for (const c of waited) longest = Math.max(longest, c.waitSeconds ?? 0, c.holdSeconds ?? 0);
    signals.push({ code: "long_wait", strength: 1, refs: idsOf(waited), detail: `(${Math.round(longest)} s)` });
  }

  const reasons: MomentReason[] = [];
  for (const s of signals) {
    const def = rules.signals[s.code];
    if (!def) continue;
    const weight = round(def.weight * Math.min(1, Math.max(0, s.strength)));
    if (weight < 0.03) continue;
    reasons.push({
      code: s.code,
      text: s.detail ? `${def.reason} ${s.detail}` : def.reason,
      weight,
      refs: [...new Set(s.refs)],
    });
  }
  reasons.sort(byWeightDesc);
  // Contacts whose words were not read: the score rests on the journey and language-free signals
  // alone, and the reasons say so (weight 0: it explains, it does not add risk).
  const unread: JourneyItem[] = [];
  for (const c of contacts) if (c.unreadLanguage) unread.push(c);
  if (unread.length) {
    const codes = [...new Set(unread.map((c) => c.unreadLanguage))].join(", ");
    reasons.push({
      code: "text_not_analysed",
      text: `the text itself was not analysed (written in ${codes}, a language Earshot does not analyse)`,
      weight: 0,
      refs: idsOf(unread),
    });
  }
  let calm = 1;
  for (const r of reasons) calm *= 1 - r.weight;
  const risk = round(1 - calm);
  return { risk, flagged: risk >= rules.threshold, severity: severityOf(1 - calm, rules.severity), reasons };
}

/** Decimals written in `x`, at least two and at most six. */
function precisionOf(x: number): number {
  const s = String(x);
  if (s.includes("e")) return 6;
  return Math.min(6, Math.max(2, s.split(".")[1]?.length ?? 0));
}

/** True when `score` reaches `cut`, compared at the cut's own precision (momentRulesSchema's `severity`). */
export function reachesCut(score: number, cut: number): boolean {
  const f = 10 ** precisionOf(cut);
  return Math.round(score * f) / f >= cut;
}

/** The band of an unrounded moment score (1 − Π(1 − weight)); null below `low`. */
export function severityOf(score: number, sev: MomentRules["severity"]): MomentScore["severity"] {
  if (reachesCut(score, sev.critical)) return "critical";
  if (reachesCut(score, sev.high)) return "high";
  if (reachesCut(score, sev.medium)) return "medium";
  if (reachesCut(score, sev.low)) return "low";
  return null;
}
