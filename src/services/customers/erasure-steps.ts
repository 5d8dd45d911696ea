import type { InValue, Transaction } from "@libsql/client";
import type { Db } from "../../db/client.js";
import { jsonList } from "../../db/insert-values.js";
import { rowsAs } from "../../db/raw-rows.js";
import { conflict } from "../../lib/domain-error.js";
import type { MomentEventFeed } from "../moments/event-feed.js";
import type { MomentScorer } from "../moments/scoring.js";

// The steps both kinds of erasure (a whole customer, or a time range of their records) are made of.

export interface ErasureDeps {
  db: Db;
  moments: MomentScorer;
  /** The live stream's buffer of recent moment events, cleared of erased events after the commit. */
  feed?: MomentEventFeed;
}

export const TOMBSTONE = JSON.stringify({ erased: true });

/**
 * Runs `work` in one write transaction, so that personal data is gone from the database file, not
 * only from query results: secure_delete zeroes freed pages, the FTS index is optimised so deleted
 * tokens leave its segments, and a WAL checkpoint (TRUNCATE) moves the zeroed pages into the file and
 * empties the log, which still held the old page images. Then the live stream's buffer drops what
 * was erased.
 */
export async function eraseWith<T>({ db, feed }: ErasureDeps, work: (tx: Transaction) => Promise<T>): Promise<T> {
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

export const run = async (tx: Transaction, sql: string, ...args: InValue[]) =>
  (await tx.execute({ sql, args })).rowsAffected;
export const ids = async (tx: Transaction, sql: string, ...args: InValue[]) =>
  rowsAs<{ id: string }>(await tx.execute({ sql, args })).map((r) => r.id);

/** The customer as erasure sees it; a customer merged into another lives on in that one. */
export async function customerToErase(tx: Transaction, customerId: string): Promise<boolean> {
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
export async function eraseDeliveries(tx: Transaction, customers: string[], refs: string[]): Promise<number> {
  return run(
    tx,
    `DELETE FROM webhook_deliveries WHERE payload ->> '$.data.customerId' IN (SELECT value FROM json_each(?))
      OR payload ->> '$.data.id' IN (SELECT value FROM json_each(?))`,
    jsonList(customers),
    jsonList(refs),
  );
}

export const recordKey = (kind: unknown, source: unknown, externalId: unknown) =>
  `${kind}\u0000${source}\u0000${externalId}`;

/**
 * The customer's merge records without the erased records: their ids leave the lists of what each
 * merge moved, and evidence naming an erased record (its source and external id) says only that it
 * was erased, in the merge and in the identity history entries that copy it.
 */
export async function scrubMerges(
  tx: Transaction,
  customerId: string,
  erasedIds: Set<string>,
  erasedKeys: Set<string>,
) {
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
