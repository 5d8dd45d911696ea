import type { Delivery } from "../webhooks/outbox.js";
import type { PreparedRecord, StoredResult } from "./records.js";

/**
 * `interaction.analyzed` deliveries leave from the outbox in the same commit as their interactions:
 * the earliest moment they can, and durable with the record (a crash cannot separate the two).
 */
export function analyzedDeliveries(hooks: string[], records: PreparedRecord[], results: StoredResult[]): Delivery[] {
  const deliveries: Delivery[] = [];
  if (hooks.length === 0) return deliveries;
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    const record = records[i];
    if (!r.created || record.kind !== "interaction") continue;
    const row = record.row;
    // An analysed text always has a score: null says its language is one Earshot does not analyse.
    const data = {
      id: r.id,
      channel: row.channel,
      sentiment: row.sentimentScore ?? null,
      analysed: row.sentimentScore != null,
      risk: row.complaintRisk ?? null,
      flagged: !!row.flagged,
      customerId: r.customerId,
      occurredAt: row.occurredAt.toISOString(),
    };
    for (const hookId of hooks) deliveries.push({ hookId, type: "interaction.analyzed", data });
  }
  return deliveries;
}
