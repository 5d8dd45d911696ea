import { unpackAnalysis } from "../../analysis/stored-form.js";
import type { AnalysisResult } from "../../analysis/types.js";
import type { Db } from "../../db/client.js";

type Row = Record<string, string | number | null>;

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
  const rows = (await db.$client.execute({
    sql: `SELECT id, channel, subject, text, turns, analysis FROM interactions WHERE id IN (${ids.map(() => "?").join(",")})`,
    args: ids,
  })).rows as unknown as Row[];
  for (const r of rows) {
    out.set(String(r.id), {
      id: String(r.id),
      channel: String(r.channel),
      subject: r.subject as string | null,
      text: String(r.text ?? ""),
      turns: r.turns ? JSON.parse(String(r.turns)) : null,
      analysis: r.analysis ? unpackAnalysis(String(r.analysis)) : null,
    });
  }
  return out;
}

/** A customer's interaction sentiment over the last `days`, oldest first, at most `max` points (the newest). */
export async function sentimentSeries(db: Db, customerId: string, now: Date, days = 90, max = 60) {
  const rows = (await db.$client.execute({
    sql: `SELECT occurred_at, sentiment_score FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at <= ? AND sentiment_score IS NOT NULL
      ORDER BY occurred_at DESC LIMIT ?`,
    args: [customerId, now.getTime() - days * 86_400_000, now.getTime(), max],
  })).rows as unknown as Row[];
  return rows.reverse().map((r) => ({ at: Number(r.occurred_at), score: Number(r.sentiment_score) }));
}
