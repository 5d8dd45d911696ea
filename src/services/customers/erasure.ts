import { jsonList } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";
import { rowsAs } from "../../db/raw-rows.js";
import {
  customerToErase,
  type ErasureDeps,
  eraseDeliveries,
  eraseWith,
  ids,
  recordKey,
  run,
  scrubMerges,
  TOMBSTONE,
} from "./erasure-steps.js";

export type { ErasureDeps } from "./erasure-steps.js";

export interface ErasureResult {
  interactions: number;
  events: number;
  identities: number;
  /** Moments removed (all of the customer's, or those the erased records alone had flagged). */
  moments: number;
  /** Moments scored again from the records that remain (time-range erasure). */
  momentsRescored: number;
  /** Webhook deliveries removed, pending or sent: none of them is sent after the erasure. */
  deliveries: number;
  /** Agents' verdicts on the erased records and moments, history included. */
  verdicts: number;
  customer: boolean;
}

const none = (): ErasureResult => ({
  interactions: 0,
  events: 0,
  identities: 0,
  moments: 0,
  momentsRescored: 0,
  deliveries: 0,
  verdicts: 0,
  customer: false,
});

/**
 * Erases a customer and everything derived from them, including the customers merged into them (the
 * same person): records, identifiers, moments and their event log, webhook deliveries, agents'
 * verdicts, the scoring backlog, merges. Identity history stays as tombstones (action and time, no identifiers or
 * evidence), the record that the erasure happened. A customer merged into another is refused (409):
 * its records live in the survivor.
 */
export async function eraseCustomer(
  deps: ErasureDeps,
  customerId: string,
  at: Date = new Date(),
): Promise<ErasureResult> {
  return eraseWith(deps, async (tx) => {
    if (!(await customerToErase(tx, customerId))) return none();
    const people = [customerId, ...(await ids(tx, "SELECT id FROM customers WHERE merged_into = ?", customerId))];
    const list = jsonList(people);
    const records = await ids(
      tx,
      "SELECT id FROM interactions WHERE customer_id IN (SELECT value FROM json_each(?1)) UNION ALL SELECT id FROM journey_events WHERE customer_id IN (SELECT value FROM json_each(?1))",
      list,
    );
    const moments = await ids(tx, "SELECT id FROM moments WHERE customer_id IN (SELECT value FROM json_each(?))", list);
    const merges = await ids(
      tx,
      "SELECT id FROM merges WHERE survivor_id IN (SELECT value FROM json_each(?1)) OR merged_id IN (SELECT value FROM json_each(?1))",
      list,
    );
    const result = none();
    result.deliveries = await eraseDeliveries(tx, people, [...records, ...moments]);
    await run(tx, "DELETE FROM moment_events WHERE moment_id IN (SELECT value FROM json_each(?))", jsonList(moments));
    // By subject too: a verdict keeps the customer its subject had then, and merges move records.
    result.verdicts = await run(
      tx,
      "DELETE FROM verdicts WHERE customer_id IN (SELECT value FROM json_each(?)) OR subject_id IN (SELECT value FROM json_each(?))",
      list,
      jsonList([...records, ...moments]),
    );
    result.moments = await run(
      tx,
      "DELETE FROM moments WHERE id IN (SELECT value FROM json_each(?))",
      jsonList(moments),
    );
    await run(tx, "DELETE FROM scoring_backlog WHERE record_id IN (SELECT value FROM json_each(?))", jsonList(records));
    result.interactions = await run(
      tx,
      "DELETE FROM interactions WHERE customer_id IN (SELECT value FROM json_each(?))",
      list,
    );
    result.events = await run(
      tx,
      "DELETE FROM journey_events WHERE customer_id IN (SELECT value FROM json_each(?))",
      list,
    );
    result.identities = await run(
      tx,
      "DELETE FROM identities WHERE customer_id IN (SELECT value FROM json_each(?))",
      list,
    );
    // Entries of other customers about a merge with this one hold its identifiers as evidence.
    await run(
      tx,
      "UPDATE identity_events SET details = ? WHERE customer_id IN (SELECT value FROM json_each(?)) OR merge_id IN (SELECT value FROM json_each(?))",
      TOMBSTONE,
      list,
      jsonList(merges),
    );
    await run(tx, "DELETE FROM merges WHERE id IN (SELECT value FROM json_each(?))", jsonList(merges));
    // Conflicts hold the identifiers of the record that raised them.
    await run(
      tx,
      "DELETE FROM identity_conflicts WHERE customer_id IN (SELECT value FROM json_each(?1)) OR other_id IN (SELECT value FROM json_each(?1))",
      list,
    );
    await run(
      tx,
      "DELETE FROM merge_blocks WHERE customer_a IN (SELECT value FROM json_each(?1)) OR customer_b IN (SELECT value FROM json_each(?1))",
      list,
    );
    await run(tx, "DELETE FROM customers WHERE merged_into = ?", customerId);
    result.customer = (await run(tx, "DELETE FROM customers WHERE id = ?", customerId)) > 0;
    await run(
      tx,
      "INSERT INTO identity_events (id, customer_id, action, rule, details, actor, created_at) VALUES (?, ?, 'erased', 'erasure', ?, 'system', ?)",
      newId("iev"),
      customerId,
      TOMBSTONE,
      at.getTime(),
    );
    return result;
  });
}

/**
 * Erases one customer's interactions and events that occurred in [from, to); the customer stays.
 * What was derived from them goes too: their webhook deliveries and backlog rows, the moments they
 * took part in (scored again from the records that remain, or removed) with those moments' event log,
 * deliveries and verdicts, the verdicts on the erased records, and their ids in the customer's merge records.
 */
export async function eraseCustomerData(
  deps: ErasureDeps,
  customerId: string,
  from: Date,
  to: Date,
): Promise<ErasureResult> {
  return eraseWith(deps, async (tx) => {
    if (!(await customerToErase(tx, customerId))) return none();
    const range = [customerId, from.getTime(), to.getTime()];
    const erased = rowsAs<{
      kind: "interaction" | "event";
      id: string;
      source: string;
      external_id: string;
      occurred_at: number;
    }>(
      await tx.execute({
        sql: `SELECT 'interaction' AS kind, id, source, external_id, occurred_at FROM interactions WHERE customer_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3
        UNION ALL SELECT 'event', id, source, external_id, occurred_at FROM journey_events WHERE customer_id = ?1 AND occurred_at >= ?2 AND occurred_at < ?3`,
        args: range,
      }),
    );
    const result = none();
    if (erased.length === 0) return result;
    const erasedIds = erased.map((r) => String(r.id));
    await run(
      tx,
      "DELETE FROM scoring_backlog WHERE record_id IN (SELECT value FROM json_each(?))",
      jsonList(erasedIds),
    );
    result.interactions = await run(
      tx,
      "DELETE FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at < ?",
      ...range,
    );
    result.events = await run(
      tx,
      "DELETE FROM journey_events WHERE customer_id = ? AND occurred_at >= ? AND occurred_at < ?",
      ...range,
    );
    const { rescored, removed } = await deps.moments.rescoreAfterErasure(
      tx,
      customerId,
      erased.map((r) => ({ id: String(r.id), occurredAt: Number(r.occurred_at) })),
    );
    const touched = [...rescored, ...removed];
    await run(tx, "DELETE FROM moment_events WHERE moment_id IN (SELECT value FROM json_each(?))", jsonList(touched));
    result.deliveries = await eraseDeliveries(tx, [], [...erasedIds, ...touched]);
    // A verdict on a re-scored moment judged it with the erased records in it: it goes with them.
    result.verdicts = await run(
      tx,
      "DELETE FROM verdicts WHERE subject_id IN (SELECT value FROM json_each(?))",
      jsonList([...erasedIds, ...touched]),
    );
    result.moments = removed.length;
    result.momentsRescored = rescored.length;
    await scrubMerges(
      tx,
      customerId,
      new Set(erasedIds),
      new Set(erased.map((r) => recordKey(r.kind, r.source, r.external_id))),
    );
    return result;
  });
}
