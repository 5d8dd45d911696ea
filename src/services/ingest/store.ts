import type { InStatement, Transaction } from "@libsql/client";
import { writeTransaction, type Db } from "../../db/client.js";
import { newId } from "../../lib/ids.js";
import { deliveryStatements, hookIdsOf, subscribedHooksStatement } from "../webhooks/outbox.js";
import type { PreparedRecord, StoredResult } from "./records.js";
import { blockedPairsFrom, blockedPairsStatement, recordConflict } from "../identity/conflicts.js";
import { LiveMoments, liveMomentsStatement } from "../moments/merge-moments.js";
import {
  type AfterMerges,
  CustomerFacts,
  identityKey,
  mergeAll,
  mergeableOwners,
  ownerOf,
  ownerStatements,
  ownersFrom,
} from "./customer-links.js";
import type { IdentityRules } from "../identity/rules.js";
import type { StoredItem } from "../moments/scoring.js";
import { analyzedDeliveries } from "./analyzed-deliveries.js";
import { existingFrom, existingStatements, recordKey, type Stored } from "./existing-records.js";
import { flush, type PendingRows } from "./row-inserts.js";

// Stores a batch of prepared records in one write transaction: idempotency (existing-records.ts),
// linking to customers and merging them (customer-links.ts), the rows' inserts (row-inserts.ts),
// the outbox (analyzed-deliveries.ts) and moment scoring, in as few round trips as the reads allow.

/** What one write stored, and how many webhook deliveries it queued (the sender is nudged when > 0). */
export interface StoredBatch {
  results: StoredResult[];
  deliveries: number;
  /** Created records whose moment scoring failed and was deferred to the backlog, and why. */
  deferred?: { items: StoredItem[]; error: unknown };
}

/** Scores created records in the transaction that stores them (MomentScorer.scoreInTransaction). */
export type MomentScorer = (
  tx: Transaction,
  items: StoredItem[],
) => Promise<{ deliveries: number; deferred?: unknown }>;

/**
 * Stores records in one write transaction (BEGIN IMMEDIATE): answers existing (source, externalId)
 * with the stored row, links every new record to a customer through its identifiers (creating the
 * customer when none is known, merging customers its identifiers show to be one), inserts everything
 * with multi-row statements and scores the created records for moments. Only database work and
 * scoring (pure functions) run inside the transaction.
 */
export async function storeRecords(
  db: Db,
  records: PreparedRecord[],
  now: Date,
  rules: IdentityRules,
  scoreMoments?: MomentScorer,
): Promise<StoredBatch> {
  return writeTransaction(db, async (tx) => {
    const at = now.getTime();
    const { results, deliveries: queued } = await storeInTransaction(tx, records, at, rules);
    let deliveries = queued;
    const items = storedItems(records, results);
    if (!scoreMoments || items.length === 0) return { results, deliveries };
    const scoring = await scoreMoments(tx, items);
    deliveries += scoring.deliveries;
    return {
      results,
      deliveries,
      ...(scoring.deferred === undefined ? {} : { deferred: { items, error: scoring.deferred } }),
    };
  });
}

/** The created records as moment scoring reads them. */
function storedItems(records: PreparedRecord[], results: StoredResult[]): StoredItem[] {
  const items: StoredItem[] = [];
  for (let i = 0; i < results.length; i++) {
    const s = results[i];
    if (!s.created) continue;
    const r = records[i];
    const item: StoredItem = { recordId: s.id, customerId: s.customerId, occurredAt: r.row.occurredAt.getTime() };
    if (r.kind === "interaction")
      item.interaction = {
        id: s.id,
        channel: r.row.channel,
        sentiment: r.row.sentimentScore ?? null,
        risk: r.row.complaintRisk ?? null,
        flagged: !!r.row.flagged,
      };
    items.push(item);
  }
  return items;
}

/**
 * Links and inserts the records, with their `interaction.analyzed` deliveries. Through a libSQL server
 * every statement sent alone is a round trip, so the statements go in batches: the reads that decide
 * the write in one (existing records, identifier owners, subscribed webhooks), every insert and outbox
 * row in another. Merges and identifier caps add at most one read (the identifier counts and ages of
 * the customers involved) and write in the same batch. The transaction holds the write lock
 * throughout, so what the reads found is still true when the batch writes.
 */
async function storeInTransaction(
  tx: Transaction,
  records: PreparedRecord[],
  at: number,
  rules: IdentityRules,
): Promise<{ results: StoredResult[]; deliveries: number }> {
  const results: StoredResult[] = new Array(records.length);
  const existingReads = existingStatements(records);
  const ownerReads = ownerStatements(tx, records);
  const answers = await tx.batch([
    ...existingReads.map((r) => r.statement),
    ...ownerReads,
    subscribedHooksStatement("interaction.analyzed"),
  ]);
  const existing = existingFrom(existingReads, answers);
  const owners = ownersFrom(answers.slice(existingReads.length, existingReads.length + ownerReads.length));
  const hooks = hookIdsOf(answers[answers.length - 1]);
  const pending: PendingRows = { customers: [], identities: [], interactions: [], events: [], audits: [] };
  const firstInBatch = new Map<string, Stored>();
  const facts = new CustomerFacts(tx, at);
  await facts.prefetch(customersGainingIdentifiers(records, owners));
  // Every customer a merge in this batch can involve already owns one of its identifiers or is new.
  const known = new Set(owners.values());
  let live: LiveMoments | undefined;
  let blocked = new Set<string>();
  const after: AfterMerges = { conflicts: [], merges: [] };
  const writes: InStatement[] = [];

  for (const [index, record] of records.entries()) {
    const key = recordKey(record.kind, record.row.source, record.row.externalId);
    const stored = existing.get(key) ?? firstInBatch.get(key);
    if (stored) {
      // A retry repeats the body it retries; another body under the same id is refused, not dropped
      // silently. Rows stored without a hash cannot tell, and answer as before.
      const conflict =
        !!stored.contentHash && !!record.row.contentHash && stored.contentHash !== record.row.contentHash;
      results[index] = {
        id: stored.id,
        customerId: stored.customerId,
        created: false,
        ...(conflict ? { conflict } : {}),
      };
      continue;
    }
    // Identifiers of two or more customers (ignoring kinds that never merge) show they are one person.
    const mergeable = mergeableOwners(record.identifiers, owners, rules);
    let customerId: string | undefined;
    if (mergeable.length > 1) {
      if (!live) {
        // What merging needs, in one round trip: ages, unmerged pairs and live moments to fold.
        const [pairs, moments] = await facts.prefetch(known, known, [
          blockedPairsStatement([...known]),
          liveMomentsStatement([...known]),
        ]);
        blocked = blockedPairsFrom(pairs);
        live = new LiveMoments(moments);
      }
      // The merge moves the rows gathered so far, so they are written before it.
      flush(tx, writes, pending);
      customerId = mergeAll(writes, mergeable, record, owners, rules, facts, at, blocked, after);
    } else {
      customerId = ownerOf(record.identifiers, owners);
    }
    if (!customerId) {
      customerId = newId("cus");
      pending.customers.push({ id: customerId, displayName: record.displayName ?? null, at });
      facts.startEmpty(customerId);
    }
    for (const identifier of record.identifiers) {
      const k = identityKey(identifier.kind, identifier.value);
      if (owners.has(k)) continue;
      if ((await facts.count(customerId, identifier.kind)) >= rules.maxPerKind[identifier.kind]) {
        pending.audits.push({
          id: newId("iev"),
          customerId,
          details: JSON.stringify({
            kind: identifier.kind,
            value: identifier.value,
            max: rules.maxPerKind[identifier.kind],
          }),
          at,
        });
        continue;
      }
      owners.set(k, customerId);
      facts.add(customerId, identifier.kind);
      pending.identities.push({ id: newId("idn"), customerId, kind: identifier.kind, value: identifier.value, at });
    }
    const id = newId(record.kind === "interaction" ? "int" : "evt");
    if (record.kind === "interaction") pending.interactions.push({ row: record.row, id, customerId });
    else pending.events.push({ row: record.row, id, customerId });
    results[index] = { id, customerId, created: true };
    firstInBatch.set(key, { id, customerId, contentHash: record.row.contentHash ?? null });
  }
  const deliveries = analyzedDeliveries(hooks, records, results);
  flush(tx, writes, pending);
  for (const st of deliveryStatements(tx, deliveries, at)) writes.push(st);
  // The merged customers' live moments fold in the same batch, after the merges: every customer a
  // merge involves had its live moments read before the first merge, and the batch creates none
  // (scoring runs after it).
  if (live)
    for (const m of after.merges)
      for (const st of live.foldStatements(tx, m.survivorId, m.mergedId, m.mergeId, at)) writes.push(st);
  if (writes.length > 0) await tx.batch(writes);
  for (const c of after.conflicts) await recordConflict(tx, c.customerId, c.otherId, c.evidence, at);
  return { results, deliveries: deliveries.length };
}

/**
 * The known customers that records may give identifiers they do not have yet: their identifier counts
 * are read up front, in one query, for the per-kind caps.
 */
function customersGainingIdentifiers(records: PreparedRecord[], owners: Map<string, string>): string[] {
  const out: string[] = [];
  for (const r of records) {
    let unowned = false;
    const known: string[] = [];
    for (const i of r.identifiers) {
      const owner = owners.get(identityKey(i.kind, i.value));
      if (owner) known.push(owner);
      else unowned = true;
    }
    if (unowned) for (const c of known) out.push(c);
  }
  return out;
}
