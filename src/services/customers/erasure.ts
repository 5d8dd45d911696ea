import type { InValue, Transaction } from "@libsql/client";
import type { Db } from "../../db/client.js";
import { jsonList } from "../../db/insert-values.js";
import { newId } from "../../lib/ids.js";
import { rowsAs } from "../../db/raw-rows.js";
import { conflict } from "../../lib/domain-error.js";
import type { MomentEventFeed } from "../moments/event-feed.js";
import type { MomentScorer } from "../moments/scoring.js";

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

export interface ErasureDeps {
  db: Db;
  moments: MomentScorer;
  /** The live stream's buffer of recent moment events, cleared of erased events after the commit. */
  feed?: MomentEventFeed;
}

const TOMBSTONE = JSON.stringify({ erased: true });
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
 * Runs `work` in one write transaction, so that personal data is gone from the database file, not
 * only from query results: secure_delete zeroes freed pages, the FTS index is optimised so deleted
 * tokens leave its segments, and a WAL checkpoint (TRUNCATE) moves the zeroed pages into the file and
 * empties the log, which still held the old page images. Then the live stream's buffer drops what
 * was erased.
 */
async function eraseWith<T>({ db, feed }: ErasureDeps, work: (tx: Transaction) => Promise<T>): Promise<T> {
  const result = await db.write(async ({ client: c }) => {
    const tx = await c.transaction("write");
    let out: T;
    try {
      // A libSQL server manages its own pages (and refuses the pragma); on a file we zero them ourselves.
      if (c.protocol === "file") await tx.execute("PRAGMA secure_delete = ON");
      out = await work(tx);
      await tx.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize')");
      await tx.commit();
    } finally {
      tx.close();
    }
    if (c.protocol === "file") await c.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    return out;
  });
  await feed?.prune();
  return result;
}

const run = async (tx: Transaction, sql: string, ...args: InValue[]) => (await tx.execute({ sql, args })).rowsAffected;
const ids = async (tx: Transaction, sql: string, ...args: InValue[]) =>
  rowsAs<{ id: string }>(await tx.execute({ sql, args })).map((r) => r.id);

/** The customer as erasure sees it; a customer merged into another lives on in that one. */
async function customerToErase(tx: Transaction, customerId: string): Promise<boolean> {
  const [row] = rowsAs<{ merged_into: string | null }>(
    await tx.execute({ sql: "SELECT merged_into FROM customers WHERE id = ?", args: [customerId] }),
  );
  if (!row) return false;
  if (row.merged_into) {
    throw conflict(
      `Customer ${customerId} is merged into ${row.merged_into}, which holds its records; erase ${row.merged_into} (the same person) or unmerge first.`,
    );
  }
  return true;
}

/**
 * Removes webhook deliveries (pending or sent) about any of `customers` or naming any of `refs` (an
 * interaction's or a moment's id), and the moments' event log. Payloads carry these as `data.customerId`
 * and `data.id` (src/services/webhooks/outbox.ts); the outbox has no index on them, so this scans it,
 * once per erasure.
 */
async function eraseDeliveries(tx: Transaction, customers: string[], refs: string[]): Promise<number> {
  return run(
    tx,
    `DELETE FROM webhook_deliveries WHERE payload ->> '$.data.customerId' IN (SELECT value FROM json_each(?))
      OR payload ->> '$.data.id' IN (SELECT value FROM json_each(?))`,
    jsonList(customers),
    jsonList(refs),
  );
}

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

const recordKey = (kind: unknown, source: unknown, externalId: unknown) => `${kind}\u0000${source}\u0000${externalId}`;

/**
 * The customer's merge records without the erased records: their ids leave the lists of what each
 * merge moved, and evidence naming an erased record (its source and external id) says only that it
 * was erased, in the merge and in the identity history entries that copy it.
 */
async function scrubMerges(tx: Transaction, customerId: string, erasedIds: Set<string>, erasedKeys: Set<string>) {
  const merges = rowsAs<{ id: string; evidence: string; moved: string }>(
    await tx.execute({
      sql: "SELECT id, evidence, moved FROM merges WHERE survivor_id = ?1 OR merged_id = ?1",
      args: [customerId],
    }),
  );
  const scrubEvidence = (evidence: Record<string, unknown> | undefined) => {
    const r = evidence?.record as { kind?: string; source?: string; externalId?: string } | undefined;
    return r && erasedKeys.has(recordKey(r.kind, r.source, r.externalId))
      ? { ...evidence, record: { erased: true } }
      : evidence;
  };
  for (const m of merges) {
    const moved = JSON.parse(String(m.moved)) as { identities: string[]; interactions: string[]; events: string[] };
    const kept = {
      ...moved,
      interactions: moved.interactions.filter((id) => !erasedIds.has(id)),
      events: moved.events.filter((id) => !erasedIds.has(id)),
    };
    const evidence = JSON.parse(String(m.evidence)) as Record<string, unknown>;
    const scrubbed = scrubEvidence(evidence);
    if (
      kept.interactions.length === moved.interactions.length &&
      kept.events.length === moved.events.length &&
      scrubbed === evidence
    )
      continue;
    await run(
      tx,
      "UPDATE merges SET evidence = ?, moved = ? WHERE id = ?",
      JSON.stringify(scrubbed),
      JSON.stringify(kept),
      String(m.id),
    );
    const entries = rowsAs<{ id: string; details: string }>(
      await tx.execute({ sql: "SELECT id, details FROM identity_events WHERE merge_id = ?", args: [m.id] }),
    );
    for (const e of entries) {
      const details = JSON.parse(String(e.details)) as Record<string, unknown>;
      const evidenceIn = details.evidence as Record<string, unknown> | undefined;
      const scrubbedIn = scrubEvidence(evidenceIn);
      if (scrubbedIn !== evidenceIn)
        await run(
          tx,
          "UPDATE identity_events SET details = ? WHERE id = ?",
          JSON.stringify({ ...details, evidence: scrubbedIn }),
          String(e.id),
        );
    }
  }
}
