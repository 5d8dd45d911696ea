import type { Db } from "../../db/client.js";
import { unpackHeadline } from "../../analysis/stored-form.js";

const DAY = 86_400_000;
type Row = Record<string, string | number | null>;

export interface CustomerProfile {
  id: string;
  displayName: string | null;
  createdAt: string;
  identifiers: Array<{ kind: string; value: string }>;
  firstContactAt: string | null;
  lastContactAt: string | null;
  channels: Record<string, number>;
  contacts: { interactions: number; events: number; flagged: number };
  sentimentTrend: Record<"days7" | "days30" | "days90", { average: number | null; interactions: number }>;
  openNeeds: Array<{ id: string; label: string; lastSeenAt: string; interactionId: string }>;
  latestRisk: { interactionId: string; occurredAt: string; risk: number; flagged: boolean; reasons: string[] } | null;
}

/** How long a need stays "open" on the profile after it was last expressed. */
const OPEN_NEED_DAYS = 30;
/** Open needs come from at most this many of those days' newest interactions, however many a customer has. */
const OPEN_NEED_INTERACTIONS = 200;

/** A customer's identifiers, contact history and how they feel lately, relative to `now`. */
export async function customerProfile(db: Db, customerId: string, now: Date): Promise<CustomerProfile | { mergedInto: string } | null> {
  const c = db.$client;
  const [customer] = (await c.execute({ sql: "SELECT id, display_name, created_at, merged_into FROM customers WHERE id = ?", args: [customerId] })).rows as unknown as Row[];
  if (!customer) return null;
  if (customer.merged_into) return { mergedInto: String(customer.merged_into) };
  const identifiers = (await c.execute({ sql: "SELECT kind, value FROM identities WHERE customer_id = ? ORDER BY kind, value", args: [customerId] })).rows as unknown as Row[];
  const perChannel = (await c.execute({
    sql: "SELECT channel, count(*) AS n, sum(flagged) AS flagged, min(occurred_at) AS first, max(occurred_at) AS last FROM interactions WHERE customer_id = ? GROUP BY channel",
    args: [customerId],
  })).rows as unknown as Row[];
  const [events] = (await c.execute({ sql: "SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM journey_events WHERE customer_id = ?", args: [customerId] })).rows as unknown as Row[];

  const t = now.getTime();
  const trendRows = (await c.execute({
    sql: `SELECT
      avg(CASE WHEN occurred_at >= ? THEN sentiment_score END) AS a7, count(CASE WHEN occurred_at >= ? THEN 1 END) AS n7,
      avg(CASE WHEN occurred_at >= ? THEN sentiment_score END) AS a30, count(CASE WHEN occurred_at >= ? THEN 1 END) AS n30,
      avg(sentiment_score) AS a90, count(*) AS n90
      FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ? AND sentiment_score IS NOT NULL`,
    args: [t - 7 * DAY, t - 7 * DAY, t - 30 * DAY, t - 30 * DAY, customerId, t - 90 * DAY, t],
  })).rows as unknown as Row[];
  const tr = trendRows[0];
  const avg = (v: string | number | null) => (v === null ? null : Math.round(Number(v) * 1000) / 1000);

  const recent = (await c.execute({
    sql: "SELECT id, occurred_at, analysis FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ? AND analysis IS NOT NULL ORDER BY occurred_at DESC, id DESC LIMIT ?",
    args: [customerId, t - OPEN_NEED_DAYS * DAY, t, OPEN_NEED_INTERACTIONS],
  })).rows as unknown as Row[];
  const openNeeds = new Map<string, CustomerProfile["openNeeds"][number]>();
  for (const r of recent) {
    const a = unpackHeadline(String(r.analysis));
    for (const n of a.needs) {
      if (n.id === "praise" || n.id === "information_request" || openNeeds.has(n.id)) continue;
      openNeeds.set(n.id, { id: n.id, label: n.label, lastSeenAt: new Date(Number(r.occurred_at)).toISOString(), interactionId: String(r.id) });
    }
  }
  const [latest] = (await c.execute({
    sql: "SELECT id, occurred_at, complaint_risk, flagged, analysis FROM interactions WHERE customer_id = ? AND complaint_risk IS NOT NULL ORDER BY occurred_at DESC, id DESC LIMIT 1",
    args: [customerId],
  })).rows as unknown as Row[];

  const times = [...perChannel.flatMap((r) => [Number(r.first), Number(r.last)]), ...(events?.first !== null && events ? [Number(events.first), Number(events.last)] : [])];
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: String(customer.id),
    displayName: customer.display_name as string | null,
    createdAt: new Date(Number(customer.created_at)).toISOString(),
    identifiers: identifiers.map((r) => ({ kind: String(r.kind), value: String(r.value) })),
    firstContactAt: iso(times.length ? Math.min(...times) : undefined),
    lastContactAt: iso(times.length ? Math.max(...times) : undefined),
    channels: Object.fromEntries(perChannel.map((r) => [String(r.channel), Number(r.n)])),
    contacts: {
      interactions: perChannel.reduce((s, r) => s + Number(r.n), 0),
      events: Number(events?.n ?? 0),
      flagged: perChannel.reduce((s, r) => s + Number(r.flagged ?? 0), 0),
    },
    sentimentTrend: {
      days7: { average: avg(tr.a7), interactions: Number(tr.n7) },
      days30: { average: avg(tr.a30), interactions: Number(tr.n30) },
      days90: { average: avg(tr.a90), interactions: Number(tr.n90) },
    },
    openNeeds: [...openNeeds.values()],
    latestRisk: latest
      ? {
          interactionId: String(latest.id),
          occurredAt: new Date(Number(latest.occurred_at)).toISOString(),
          risk: Number(latest.complaint_risk),
          flagged: Number(latest.flagged) === 1,
          reasons: latest.analysis ? unpackHeadline(String(latest.analysis)).complaint.reasons.map((x) => x.text) : [],
        }
      : null,
  };
}
