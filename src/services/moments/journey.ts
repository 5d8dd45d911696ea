import type { Db } from "../../db/client.js";
import type { JourneyItem } from "../../moments/journey-risk.js";

type Row = Record<string, string | number | null>;

/** The most recent items a journey score reads; a very active customer's older contacts add little. */
const MAX_ITEMS = 300;

/**
 * A customer's interactions and events in [from, to], as the journey scorer reads them. The fields
 * are extracted in SQL (json_extract) rather than by parsing whole stored analyses.
 */
export async function loadJourney(db: Db, customerId: string, from: number, to: number): Promise<JourneyItem[]> {
  const c = db.$client;
  const interactions = (await c.execute({
    sql: `SELECT id, occurred_at, channel, sentiment_score, complaint_risk,
        json_extract(channel_data, '$.public') AS pub, json_extract(channel_data, '$.waitSeconds') AS wait, json_extract(channel_data, '$.holdSeconds') AS hold,
        (SELECT group_concat(json_extract(value, '$.id')) FROM json_each(analysis, '$.needs')) AS needs,
        (SELECT group_concat(json_extract(value, '$.id')) FROM json_each(analysis, '$.topics')) AS topics
      FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at DESC LIMIT ?`,
    args: [customerId, from, to, MAX_ITEMS],
  })).rows as unknown as Row[];
  const events = (await c.execute({
    sql: "SELECT id, occurred_at, type, status FROM journey_events WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ? ORDER BY occurred_at DESC LIMIT ?",
    args: [customerId, from, to, MAX_ITEMS],
  })).rows as unknown as Row[];
  const list = (v: string | number | null) => (v === null ? [] : String(v).split(","));
  const num = (v: string | number | null) => (v === null ? undefined : Number(v));
  const items: JourneyItem[] = [
    ...interactions.map((r): JourneyItem => ({
      kind: "interaction",
      id: String(r.id),
      occurredAt: Number(r.occurred_at),
      channel: String(r.channel),
      sentiment: num(r.sentiment_score),
      risk: num(r.complaint_risk),
      needs: list(r.needs),
      topics: list(r.topics),
      public: r.pub === null ? undefined : Number(r.pub) === 1,
      waitSeconds: num(r.wait),
      holdSeconds: num(r.hold),
    })),
    ...events.map((r): JourneyItem => ({ kind: "event", id: String(r.id), occurredAt: Number(r.occurred_at), type: String(r.type), status: r.status as string | null })),
  ];
  return items.sort((a, b) => a.occurredAt - b.occurredAt || a.id.localeCompare(b.id));
}
