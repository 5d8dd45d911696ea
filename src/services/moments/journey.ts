import type { Db } from "../../db/client.js";
import type { AnalysisResult } from "../../analysis/types.js";
import type { JourneyItem } from "../../moments/journey-risk.js";

type Row = Record<string, string | number | null>;

/** A customer's interactions and events in [from, to], as the journey scorer reads them. */
export async function loadJourney(db: Db, customerId: string, from: number, to: number): Promise<JourneyItem[]> {
  const c = db.$client;
  const interactions = (await c.execute({
    sql: "SELECT id, occurred_at, channel, channel_data, analysis FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ?",
    args: [customerId, from, to],
  })).rows as unknown as Row[];
  const events = (await c.execute({
    sql: "SELECT id, occurred_at, type, status FROM journey_events WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ?",
    args: [customerId, from, to],
  })).rows as unknown as Row[];
  const items: JourneyItem[] = [
    ...interactions.map((r): JourneyItem => {
      const a = r.analysis ? (JSON.parse(String(r.analysis)) as AnalysisResult) : null;
      const data = r.channel_data ? (JSON.parse(String(r.channel_data)) as Record<string, unknown>) : {};
      return {
        kind: "interaction",
        id: String(r.id),
        occurredAt: Number(r.occurred_at),
        channel: String(r.channel),
        sentiment: a?.sentiment.score,
        risk: a?.complaint.risk,
        needs: a?.needs.map((n) => n.id) ?? [],
        topics: a?.topics.map((t) => t.id) ?? [],
        public: typeof data.public === "boolean" ? data.public : undefined,
        waitSeconds: typeof data.waitSeconds === "number" ? data.waitSeconds : undefined,
        holdSeconds: typeof data.holdSeconds === "number" ? data.holdSeconds : undefined,
      };
    }),
    ...events.map((r): JourneyItem => ({ kind: "event", id: String(r.id), occurredAt: Number(r.occurred_at), type: String(r.type), status: r.status as string | null })),
  ];
  return items.sort((a, b) => a.occurredAt - b.occurredAt || a.id.localeCompare(b.id));
}
