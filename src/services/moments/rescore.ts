import type { Transaction } from "@libsql/client";
import { eq, inArray, or } from "drizzle-orm";
import { ormFor } from "../../db/client.js";
import { customers, moments } from "../../db/schema/index.js";
import { scoreJourney } from "../../journeys/journey-risk.js";
import { itemsSince, loadJourneys } from "./journey.js";
import type { RulesInForce } from "./rules-in-force.js";

/**
 * Scores again, in `tx`, every moment of `customerId` (or of a customer merged into it, whose records
 * it now holds) whose window holds one of `records`, or whose trigger or reasons name one, from the
 * journey as it now reads, with the rules in force, which the moment then names. The moments the
 * journey no longer flags are returned in `removed`, and deleted when `remove` (erasure).
 * MomentScorer.rescoreAfterErasure and rescoreAfterReanalysis say when each applies.
 */
export async function rescoreMoments(
  tx: Transaction,
  inForce: RulesInForce,
  at: Date,
  customerId: string,
  records: Array<{ id: string; occurredAt: number }>,
  remove: boolean,
): Promise<{ rescored: string[]; removed: string[] }> {
  const window = inForce.windowMs;
  const { rules, version } = inForce.current;
  const recordIds = new Set(records.map((e) => e.id));
  const orm = ormFor(tx);
  const merged = orm.select({ id: customers.id }).from(customers).where(eq(customers.mergedInto, customerId));
  const rows = await orm
    .select({ id: moments.id, triggerId: moments.triggerId, triggerAt: moments.triggerAt, reasons: moments.reasons })
    .from(moments)
    .where(or(eq(moments.customerId, customerId), inArray(moments.customerId, merged)));
  const rescored: string[] = [];
  const removed: string[] = [];
  for (const m of rows) {
    const triggerAt = m.triggerAt.getTime();
    const touched =
      recordIds.has(m.triggerId) ||
      m.reasons.some((r) => r.refs?.some((ref) => recordIds.has(ref))) ||
      records.some((e) => e.occurredAt >= triggerAt - window && e.occurredAt <= triggerAt);
    if (!touched) continue;
    // One window per query: loadJourneys keys its answer by customer.
    const journey =
      (await loadJourneys(tx, [{ customerId, from: triggerAt - window, to: triggerAt }])).get(customerId) ?? [];
    const trigger = journey[journey.length - 1];
    const score = trigger ? scoreJourney(trigger, itemsSince(journey, trigger.occurredAt - window), rules) : undefined;
    if (!trigger || !score?.flagged) {
      removed.push(m.id);
      continue;
    }
    await orm
      .update(moments)
      .set({
        severity: score.severity ?? "low",
        risk: score.risk,
        reasons: score.reasons,
        triggerId: trigger.id,
        triggerAt: new Date(trigger.occurredAt),
        rulesVersion: version,
        updatedAt: at,
      })
      .where(eq(moments.id, m.id));
    rescored.push(m.id);
  }
  if (remove && removed.length) await orm.delete(moments).where(inArray(moments.id, removed));
  return { rescored, removed };
}
