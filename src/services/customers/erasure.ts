import type { Db } from "../../db/client.js";
import { newId } from "../../lib/ids.js";

export interface ErasureResult {
  interactions: number;
  events: number;
  identities: number;
  customer: boolean;
}

/**
 * Removes personal data so that it is gone from the database file, not only from query results:
 * secure_delete zeroes freed pages, the FTS index is optimised so deleted tokens leave its segments,
 * and a WAL checkpoint (TRUNCATE) moves the zeroed pages into the file and empties the log, which
 * still held the old page images.
 */
async function eraseWith(db: Db, statements: Array<{ sql: string; args: (string | number)[] }>): Promise<number[]> {
  return db.write(async ({ client: c }) => {
    const tx = await c.transaction("write");
    let counts: number[];
    try {
      // A libSQL server manages its own pages (and refuses the pragma); on a file we zero them ourselves.
      if (c.protocol === "file") await tx.execute("PRAGMA secure_delete = ON");
      counts = [];
      for (const s of statements) counts.push((await tx.execute(s)).rowsAffected);
      await tx.execute("INSERT INTO interactions_fts(interactions_fts) VALUES ('optimize')");
      await tx.commit();
    } finally {
      tx.close();
    }
    if (c.protocol === "file") await c.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    return counts;
  });
}

const TOMBSTONE = JSON.stringify({ erased: true });

/**
 * Erases a customer and everything derived from them, including the customers merged into them (the
 * same person). Audit rows stay as tombstones: action and time, no identifiers or evidence.
 */
export async function eraseCustomer(db: Db, customerId: string, at: Date = new Date()): Promise<ErasureResult> {
  const [interactions, events, identities, customer] = await eraseWith(db, [
    { sql: "DELETE FROM interactions WHERE customer_id = ?", args: [customerId] },
    { sql: "DELETE FROM journey_events WHERE customer_id = ?", args: [customerId] },
    { sql: "DELETE FROM identities WHERE customer_id = ?", args: [customerId] },
    { sql: "DELETE FROM customers WHERE id = ?", args: [customerId] },
    { sql: "UPDATE identity_events SET details = ? WHERE customer_id = ? OR customer_id IN (SELECT id FROM customers WHERE merged_into = ?)", args: [TOMBSTONE, customerId, customerId] },
    { sql: "UPDATE merges SET evidence = ? WHERE survivor_id = ? OR merged_id = ?", args: [TOMBSTONE, customerId, customerId] },
    { sql: "DELETE FROM moment_events WHERE moment_id IN (SELECT id FROM moments WHERE customer_id = ?)", args: [customerId] },
    { sql: "DELETE FROM moments WHERE customer_id = ?", args: [customerId] },
    { sql: "DELETE FROM customers WHERE merged_into = ?", args: [customerId] },
    { sql: "INSERT INTO identity_events (id, customer_id, action, rule, details, actor, created_at) VALUES (?, ?, 'erased', 'erasure', ?, 'system', ?)", args: [newId("iev"), customerId, TOMBSTONE, at.getTime()] },
  ]);
  return { interactions, events, identities, customer: customer > 0 };
}

/** Erases one customer's interactions and events that occurred in [from, to); the customer stays. */
export async function eraseCustomerData(db: Db, customerId: string, from: Date, to: Date): Promise<ErasureResult> {
  const range = [customerId, from.getTime(), to.getTime()];
  const [interactions, events] = await eraseWith(db, [
    { sql: "DELETE FROM interactions WHERE customer_id = ? AND occurred_at >= ? AND occurred_at < ?", args: range },
    { sql: "DELETE FROM journey_events WHERE customer_id = ? AND occurred_at >= ? AND occurred_at < ?", args: range },
  ]);
  return { interactions, events, identities: 0, customer: false };
}
