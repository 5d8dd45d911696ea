import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customers, identities } from "../../db/schema/index.js";
import { unpackHeadline } from "../../analysis/stored-form.js";

const DAY = 86_400_000;

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
export async function customerProfile(
  db: Db,
  customerId: string,
  now: Date,
): Promise<CustomerProfile | { mergedInto: string } | null> {
  const [customer] = await db.select().from(customers).where(eq(customers.id, customerId));
  if (!customer) return null;
  if (customer.mergedInto) return { mergedInto: customer.mergedInto };
  const identifiers = await db
    .select({ kind: identities.kind, value: identities.value })
    .from(identities)
    .where(eq(identities.customerId, customerId))
    .orderBy(identities.kind, identities.value);
  const perChannel = await db.all<{ channel: string; n: number; flagged: number | null; first: number; last: number }>(
    sql`SELECT channel, count(*) AS n, sum(flagged) AS flagged, min(occurred_at) AS first, max(occurred_at) AS last FROM interactions WHERE customer_id = ${customerId} GROUP BY channel`,
  );
  const [events] = await db.all<{ n: number; first: number | null; last: number | null }>(
    sql`SELECT count(*) AS n, min(occurred_at) AS first, max(occurred_at) AS last FROM journey_events WHERE customer_id = ${customerId}`,
  );

  const t = now.getTime();
  const [tr] = await db.all<{
    a7: number | null;
    n7: number;
    a30: number | null;
    n30: number;
    a90: number | null;
    n90: number;
  }>(sql`SELECT
      avg(CASE WHEN occurred_at >= ${t - 7 * DAY} THEN sentiment_score END) AS a7, count(CASE WHEN occurred_at >= ${t - 7 * DAY} THEN 1 END) AS n7,
      avg(CASE WHEN occurred_at >= ${t - 30 * DAY} THEN sentiment_score END) AS a30, count(CASE WHEN occurred_at >= ${t - 30 * DAY} THEN 1 END) AS n30,
      avg(sentiment_score) AS a90, count(*) AS n90
      FROM interactions WHERE customer_id = ${customerId} AND occurred_at >= ${t - 90 * DAY} AND occurred_at <= ${t} AND sentiment_score IS NOT NULL`);
  const avg = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);

  const recent = await db.all<{ id: string; occurred_at: number; analysis: string }>(
    sql`SELECT id, occurred_at, analysis FROM interactions WHERE customer_id = ${customerId} AND occurred_at >= ${t - OPEN_NEED_DAYS * DAY} AND occurred_at <= ${t} AND analysis IS NOT NULL ORDER BY occurred_at DESC, id DESC LIMIT ${OPEN_NEED_INTERACTIONS}`,
  );
  const openNeeds = new Map<string, CustomerProfile["openNeeds"][number]>();
  for (const r of recent) {
    const a = unpackHeadline(r.analysis);
    for (const n of a.needs) {
      if (n.id === "praise" || n.id === "information_request" || openNeeds.has(n.id)) continue;
      openNeeds.set(n.id, {
        id: n.id,
        label: n.label,
        lastSeenAt: new Date(r.occurred_at).toISOString(),
        interactionId: r.id,
      });
    }
  }
  const [latest] = await db.all<{
    id: string;
    occurred_at: number;
    complaint_risk: number;
    flagged: number;
    analysis: string | null;
  }>(
    sql`SELECT id, occurred_at, complaint_risk, flagged, analysis FROM interactions WHERE customer_id = ${customerId} AND complaint_risk IS NOT NULL ORDER BY occurred_at DESC, id DESC LIMIT 1`,
  );

  const times = [
    ...perChannel.flatMap((r) => [r.first, r.last]),
    ...(events?.first !== null && events ? [Number(events.first), Number(events.last)] : []),
  ];
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  return {
    id: customer.id,
    displayName: customer.displayName,
    createdAt: customer.createdAt.toISOString(),
    identifiers,
    firstContactAt: iso(times.length ? Math.min(...times) : undefined),
    lastContactAt: iso(times.length ? Math.max(...times) : undefined),
    channels: Object.fromEntries(perChannel.map((r) => [r.channel, r.n])),
    contacts: {
      interactions: perChannel.reduce((s, r) => s + r.n, 0),
      events: Number(events?.n ?? 0),
      flagged: perChannel.reduce((s, r) => s + Number(r.flagged ?? 0), 0),
    },
    sentimentTrend: {
      days7: { average: avg(tr.a7), interactions: tr.n7 },
      days30: { average: avg(tr.a30), interactions: tr.n30 },
      days90: { average: avg(tr.a90), interactions: tr.n90 },
    },
    openNeeds: [...openNeeds.values()],
    latestRisk: latest
      ? {
          interactionId: latest.id,
          occurredAt: new Date(latest.occurred_at).toISOString(),
          risk: latest.complaint_risk,
          flagged: latest.flagged === 1,
          reasons: latest.analysis ? unpackHeadline(latest.analysis).complaint.reasons.map((x) => x.text) : [],
        }
      : null,
  };
}
