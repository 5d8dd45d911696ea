import { and, asc, desc, eq, gte, inArray, isNotNull, lte } from "drizzle-orm";
import { analysisFrom } from "../../analysis/stored-form.js";
import type { AnalysisResult } from "../../analysis/types.js";
import type { Db } from "../../db/client.js";
import { interactions, journeyEvents } from "../../db/schema/index.js";

export interface InteractionDetail {
  id: string;
  channel: string;
  subject: string | null;
  text: string;
  turns: Array<{ speaker: string; text: string; at?: string }> | null;
  analysis: AnalysisResult | null;
}

/** The stored (redacted) text, turns and full analysis of interactions, by id: what an expanded timeline row shows. */
export async function interactionDetails(db: Db, ids: string[]): Promise<Map<string, InteractionDetail>> {
  const out = new Map<string, InteractionDetail>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      id: interactions.id,
      channel: interactions.channel,
      subject: interactions.subject,
      text: interactions.text,
      turns: interactions.turns,
      analysis: interactions.analysis,
    })
    .from(interactions)
    .where(inArray(interactions.id, ids));
  for (const r of rows)
    out.set(r.id, { ...r, text: r.text ?? "", analysis: r.analysis ? analysisFrom(r.analysis) : null });
  return out;
}

/** A customer's interaction sentiment over the last `days`, oldest first, at most `max` points (the newest). */
export async function sentimentSeries(db: Db, customerId: string, now: Date, days = 90, max = 60) {
  const rows = await db
    .select({ at: interactions.occurredAt, score: interactions.sentimentScore })
    .from(interactions)
    .where(
      and(
        eq(interactions.customerId, customerId),
        gte(interactions.occurredAt, new Date(now.getTime() - days * 86_400_000)),
        lte(interactions.occurredAt, now),
        isNotNull(interactions.sentimentScore),
      ),
    )
    .orderBy(desc(interactions.occurredAt))
    .limit(max);
  return rows.reverse().map((r) => ({ at: r.at.getTime(), score: Number(r.score) }));
}

/** The journey event types a customer has, for the timeline's filter. */
export async function eventTypesOf(db: Db, customerId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ type: journeyEvents.type })
    .from(journeyEvents)
    .where(eq(journeyEvents.customerId, customerId))
    .orderBy(asc(journeyEvents.type));
  return rows.map((r) => r.type);
}
