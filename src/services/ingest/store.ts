import type { InArgs, InStatement, ResultSet, Transaction } from "@libsql/client";
import { writeTransaction, type Db } from "../../db/client.js";
import { insertStatements, jsonList, type SqlValue } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";
import { deliveryStatements, hookIdsOf, subscribedHooksStatement, type Delivery } from "../webhooks/outbox.js";
import type { Identifier } from "../identity/normalise.js";
import type { PreparedRecord, StoredResult } from "./records.js";
import { blockedPairs, recordConflict } from "../identity/conflicts.js";
import { foldMomentsOfMerge } from "../identity/merge.js";
import { liveMomentOwnersFrom, liveMomentOwnersStatement } from "../moments/merge-moments.js";
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

// The ingest hot path writes with hand-built multi-row SQL instead of Drizzle's query builder, which
// costs ~57 µs per row here (a third of the whole write). Column lists follow src/db/schema; the
// ingest tests read every column back through Drizzle, so a drift fails them.

type Value = SqlValue;
type Column<T> = [name: string, get: (row: T) => Value];

// Hot per-row code in this file uses loops and module-level functions, not closures made per call:
// V8 drops a closure's optimised code once the closure is garbage, so closures made per batch were
// compiled again every few batches (~250 compilations per 30,000 interactions).
function insertRows<T>(tx: Transaction, out: InStatement[], table: string, columns: Column<T>[], rows: T[]): void {
  if (rows.length === 0) return;
  const values: Value[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row: Value[] = new Array(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c][1](rows[r]);
    values[r] = row;
  }
  for (const st of insertStatements(tx, table, columnNames(columns), values)) out.push(st);
}

const columnNamesOf = new WeakMap<object, string[]>();
function columnNames<T>(columns: Column<T>[]): string[] {
  let names = columnNamesOf.get(columns);
  if (!names) columnNamesOf.set(columns, (names = columns.map(([name]) => name)));
  return names;
}

const json = (v: unknown): Value => (v === null || v === undefined ? null : JSON.stringify(v));
const time = (d: Date | null | undefined): Value => (d ? d.getTime() : null);
const opt = (v: string | number | null | undefined): Value => v ?? null;

/** A record's row with the id and customer given to it here (not copied into one object: ~20 fields per record). */
interface Linked<Row> {
  row: Row;
  id: string;
  customerId: string;
}
type InteractionRow = Linked<Extract<PreparedRecord, { kind: "interaction" }>["row"]>;
type EventRow = Linked<Extract<PreparedRecord, { kind: "event" }>["row"]>;
interface CustomerRow {
  id: string;
  displayName: string | null;
  at: number;
}
interface IdentityRow extends Identifier {
  id: string;
  customerId: string;
  at: number;
}

interface CapAuditRow {
  id: string;
  customerId: string;
  details: string;
  at: number;
}

const customerColumns: Column<CustomerRow>[] = [
  ["id", (r) => r.id],
  ["display_name", (r) => r.displayName],
  ["created_at", (r) => r.at],
  ["updated_at", (r) => r.at],
];
const identityColumns: Column<IdentityRow>[] = [
  ["id", (r) => r.id],
  ["customer_id", (r) => r.customerId],
  ["kind", (r) => r.kind],
  ["value", (r) => r.value],
  ["created_at", (r) => r.at],
];
// identity_events as src/services/identity/merge.ts's audit() writes them, for the cap_reached rows.
const capAuditColumns: Column<CapAuditRow>[] = [
  ["id", (r) => r.id],
  ["customer_id", (r) => r.customerId],
  ["action", () => "cap_reached"],
  ["rule", () => "max per kind"],
  ["details", (r) => r.details],
  ["merge_id", () => null],
  ["actor", () => "system"],
  ["created_at", (r) => r.at],
];
const interactionColumns: Column<InteractionRow>[] = [
  ["id", (r) => r.id],
  ["source", (r) => r.row.source],
  ["external_id", (r) => r.row.externalId],
  ["channel", (r) => r.row.channel],
  ["customer_id", (r) => r.customerId],
  ["occurred_at", (r) => time(r.row.occurredAt)],
  ["received_at", (r) => time(r.row.receivedAt)],
  ["subject", (r) => opt(r.row.subject)],
  ["text", (r) => r.row.text],
  ["turns", (r) => json(r.row.turns)],
  ["channel_data", (r) => json(r.row.channelData)],
  ["metadata", (r) => json(r.row.metadata)],
  ["analysis", (r) => r.row.analysis],
  ["analysis_version", (r) => opt(r.row.analysisVersion)],
  ["sentiment_score", (r) => opt(r.row.sentimentScore)],
  ["complaint_risk", (r) => opt(r.row.complaintRisk)],
  ["flagged", (r) => (r.row.flagged ? 1 : 0)],
  ["need_ids", (r) => opt(r.row.needIds)],
  ["topic_ids", (r) => opt(r.row.topicIds)],
  ["content_hash", (r) => opt(r.row.contentHash)],
  ["created_at", (r) => time(r.row.createdAt)],
];
const eventColumns: Column<EventRow>[] = [
  ["id", (r) => r.id],
  ["source", (r) => r.row.source],
  ["external_id", (r) => r.row.externalId],
  ["customer_id", (r) => r.customerId],
  ["type", (r) => r.row.type],
  ["name", (r) => opt(r.row.name)],
  ["status", (r) => opt(r.row.status)],
  ["amount", (r) => opt(r.row.amount)],
  ["currency", (r) => opt(r.row.currency)],
  ["occurred_at", (r) => time(r.row.occurredAt)],
  ["received_at", (r) => time(r.row.receivedAt)],
  ["attributes", (r) => json(r.row.attributes)],
  ["content_hash", (r) => opt(r.row.contentHash)],
  ["created_at", (r) => time(r.row.createdAt)],
];

const recordKey = (kind: string, source: string, externalId: string) => `${kind}\u0000${source}\u0000${externalId}`;

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
  const ownerReads = ownerStatements(records);
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
  let agesRead = false;
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
      if (!agesRead) {
        await facts.prefetch(known, known);
        blocked = await blockedPairs(tx, [...known]);
        agesRead = true;
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
  // Which of the merged customers hold live moments, asked in the write's own batch: only their
  // merges fold (a read and a write each), so a batch of merges among customers without moments
  // costs no round trip more.
  const merging = after.merges.length > 0;
  if (merging) writes.push(liveMomentOwnersStatement(after.merges.flatMap((m) => [m.survivorId, m.mergedId])));
  const written = writes.length > 0 ? await tx.batch(writes) : [];
  for (const c of after.conflicts) await recordConflict(tx, c.customerId, c.otherId, c.evidence, at);
  if (merging) {
    const live = liveMomentOwnersFrom(written[written.length - 1]);
    for (const m of after.merges) {
      if (!live.has(m.mergedId)) continue;
      await foldMomentsOfMerge(tx, m.survivorId, m.mergedId, m.mergeId, at);
      // Folding may move the merged customer's moment to the survivor, which a later merge then folds.
      live.add(m.survivorId);
    }
  }
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

interface PendingRows {
  customers: CustomerRow[];
  /** Identifiers refused by a per-kind cap, as identity_events rows (action cap_reached). */
  audits: CapAuditRow[];
  identities: IdentityRow[];
  interactions: InteractionRow[];
  events: EventRow[];
}

/** Appends the inserts of the rows gathered so far to `out` (before a merge, which moves them, and at the end). */
function flush(tx: Transaction, out: InStatement[], pending: PendingRows) {
  insertRows(tx, out, "customers", customerColumns, pending.customers);
  insertRows(tx, out, "identities", identityColumns, pending.identities);
  insertRows(tx, out, "interactions", interactionColumns, pending.interactions);
  insertRows(tx, out, "journey_events", eventColumns, pending.events);
  insertRows(tx, out, "identity_events", capAuditColumns, pending.audits);
  pending.customers = [];
  pending.identities = [];
  pending.interactions = [];
  pending.events = [];
  pending.audits = [];
}

/**
 * `interaction.analyzed` deliveries leave from the outbox in the same commit as their interactions:
 * the earliest moment they can, and durable with the record (a crash cannot separate the two).
 */
function analyzedDeliveries(hooks: string[], records: PreparedRecord[], results: StoredResult[]): Delivery[] {
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

/** A record already stored (or first in this batch) under a (source, externalId), with its content hash. */
interface Stored {
  id: string;
  customerId: string;
  contentHash: string | null;
}

/** One read per (kind, source) of the records already stored under the batch's external ids. */
function existingStatements(
  records: PreparedRecord[],
): Array<{ kind: PreparedRecord["kind"]; source: string; statement: InStatement }> {
  const groups = new Map<string, { kind: PreparedRecord["kind"]; source: string; ids: string[] }>();
  for (const r of records) {
    const k = `${r.kind}\u0000${r.row.source}`;
    const g = groups.get(k) ?? { kind: r.kind, source: r.row.source, ids: [] };
    g.ids.push(r.row.externalId);
    groups.set(k, g);
  }
  return [...groups.values()].map(({ kind, source, ids }) => {
    const table = kind === "interaction" ? "interactions" : "journey_events";
    return {
      kind,
      source,
      statement: {
        sql: `SELECT id, customer_id, external_id, content_hash FROM ${table} WHERE source = ? AND external_id IN (SELECT value FROM json_each(?))`,
        args: [source, jsonList([...new Set(ids)])] as InArgs,
      },
    };
  });
}

/** The stored records, keyed by recordKey, from the answers to existingStatements (the first of `answers`). */
function existingFrom(
  reads: Array<{ kind: PreparedRecord["kind"]; source: string }>,
  answers: ResultSet[],
): Map<string, Stored> {
  const found = new Map<string, Stored>();
  for (let i = 0; i < reads.length; i++) {
    const { kind, source } = reads[i];
    for (const row of answers[i].rows as unknown as Record<string, Value>[]) {
      found.set(recordKey(kind, source, String(row.external_id)), {
        id: String(row.id),
        customerId: String(row.customer_id),
        contentHash: row.content_hash === null ? null : String(row.content_hash),
      });
    }
  }
  return found;
}
