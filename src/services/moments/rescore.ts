import type { InStatement, Transaction } from "@libsql/client";
import { eq, inArray, or } from "drizzle-orm";
import { ormFor } from "../../db/client.js";
import { customers, moments } from "../../db/schema/index.js";
import { scoreJourney, type JourneyItem } from "../../journeys/journey-risk.js";
import { itemsSince, loadJourneys, MAX_ITEMS } from "./journey.js";
import type { RulesInForce } from "./rules-in-force.js";

type Records = Array<{ id: string; occurredAt: number }>;

/** A moment's journey: the customer's items in [from, to], in time order, as loadJourneys reads one window. */
export type JourneyInWindow = (customerId: string, from: number, to: number) => Promise<JourneyItem[]>;

/** Each moment's journey read by a query of its own: what a single window costs no more than it needs. */
export const journeyPerMoment =
  (tx: Transaction): JourneyInWindow =>
  async (customerId, from, to) =>
    (await loadJourneys(tx, [{ customerId, from, to }])).get(customerId) ?? [];

/**
 * Each customer's journey read once, over the span of all of its moments' windows (`spans`), one
 * query for all customers, and every moment's window cut from it in memory. A read answers at most
 * MAX_ITEMS of each kind, the latest: when a customer's span held more, a window reaching
 * back past the oldest item read is read by a query of its own, so each window reads exactly what its
 * own query would.
 */
export async function journeysPerSpan(
  tx: Transaction,
  spans: Array<{ customerId: string; from: number; to: number }>,
): Promise<JourneyInWindow> {
  const loaded = spans.length ? await loadJourneys(tx, spans) : new Map<string, JourneyItem[]>();
  // Per customer and kind, the oldest time read when the read was cut short (else absent).
  const cutAt = new Map<string, { interaction?: number; event?: number }>();
  for (const [customerId, items] of loaded) {
    const counts = { interaction: 0, event: 0 };
    const oldest: { interaction?: number; event?: number } = {};
    for (const item of items) {
      counts[item.kind]++;
      oldest[item.kind] ??= item.occurredAt;
    }
    const cut: { interaction?: number; event?: number } = {};
    for (const kind of ["interaction", "event"] as const) if (counts[kind] >= MAX_ITEMS) cut[kind] = oldest[kind];
    cutAt.set(customerId, cut);
  }
  const perMoment = journeyPerMoment(tx);
  return async (customerId, from, to) => {
    const items = loaded.get(customerId) ?? [];
    const cut = cutAt.get(customerId);
    // Items strictly after the oldest one read are all there; at its time, some may have been left out.
    const complete = (kind: "interaction" | "event") => cut?.[kind] === undefined || from > (cut[kind] as number);
    if (!complete("interaction") || !complete("event")) return perMoment(customerId, from, to);
    const inWindow: JourneyItem[] = [];
    for (const item of items) if (item.occurredAt >= from && item.occurredAt <= to) inWindow.push(item);
    return inWindow;
  };
}

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
  records: Records,
  remove: boolean,
): Promise<{ rescored: string[]; removed: string[] }> {
  const done = await rescoreCustomersMoments(tx, inForce, at, new Map([[customerId, records]]), remove);
  return done.get(customerId) ?? { rescored: [], removed: [] };
}

/**
 * rescoreMoments for several customers at once (a slice of a re-analysis): each customer's journey is
 * read once for all its moments (journeysPerSpan), unless `journeys` says how to read them.
 */
export async function rescoreCustomersMoments(
  tx: Transaction,
  inForce: RulesInForce,
  at: Date,
  byCustomer: Map<string, Records>,
  remove: boolean,
  journeys?: JourneyInWindow,
): Promise<Map<string, { rescored: string[]; removed: string[] }>> {
  const window = inForce.windowMs;
  const { rules, version } = inForce.current;
  const orm = ormFor(tx);
  const touchedBy = new Map<string, Array<{ id: string; triggerAt: number }>>();
  const spans: Array<{ customerId: string; from: number; to: number }> = [];
  for (const [customerId, records] of byCustomer) {
    const recordIds = new Set(records.map((e) => e.id));
    const merged = orm.select({ id: customers.id }).from(customers).where(eq(customers.mergedInto, customerId));
    const rows = await orm
      .select({ id: moments.id, triggerId: moments.triggerId, triggerAt: moments.triggerAt, reasons: moments.reasons })
      .from(moments)
      .where(or(eq(moments.customerId, customerId), inArray(moments.customerId, merged)));
    const touched: Array<{ id: string; triggerAt: number }> = [];
    for (const m of rows) {
      const triggerAt = m.triggerAt.getTime();
      if (
        recordIds.has(m.triggerId) ||
        m.reasons.some((r) => r.refs?.some((ref) => recordIds.has(ref))) ||
        records.some((e) => e.occurredAt >= triggerAt - window && e.occurredAt <= triggerAt)
      )
        touched.push({ id: m.id, triggerAt });
    }
    touchedBy.set(customerId, touched);
    if (touched.length) {
      let first = Infinity;
      let last = -Infinity;
      for (const m of touched) {
        first = Math.min(first, m.triggerAt);
        last = Math.max(last, m.triggerAt);
      }
      spans.push({ customerId, from: first - window, to: last });
    }
  }
  const journeyOf = journeys ?? (await journeysPerSpan(tx, spans));
  const out = new Map<string, { rescored: string[]; removed: string[] }>();
  // Every customer's changes in one batch: a statement per moment, with no turn of the event loop between them.
  const updates: InStatement[] = [];
  const deletes: string[] = [];
  for (const [customerId, touched] of touchedBy) {
    const rescored: string[] = [];
    const removed: string[] = [];
    for (const m of touched) {
      const journey = await journeyOf(customerId, m.triggerAt - window, m.triggerAt);
      const trigger = journey[journey.length - 1];
      const score = trigger
        ? scoreJourney(trigger, itemsSince(journey, trigger.occurredAt - window), rules)
        : undefined;
      if (!trigger || !score?.flagged) {
        removed.push(m.id);
        continue;
      }
      updates.push({
        sql: "UPDATE moments SET severity = ?, risk = ?, reasons = ?, trigger_id = ?, trigger_at = ?, rules_version = ?, updated_at = ? WHERE id = ?",
        args: [
          score.severity ?? "low",
          score.risk,
          JSON.stringify(score.reasons),
          trigger.id,
          trigger.occurredAt,
          version,
          at.getTime(),
          m.id,
        ],
      });
      rescored.push(m.id);
    }
    if (remove) deletes.push(...removed);
    out.set(customerId, { rescored, removed });
  }
  if (updates.length) await tx.batch(updates);
  if (deletes.length) await orm.delete(moments).where(inArray(moments.id, deletes));
  return out;
}
