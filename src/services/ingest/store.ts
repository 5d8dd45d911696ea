import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { customers, identities, interactions, journeyEvents } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import { identifierPriority, type Identifier } from "../identity/normalise.js";
import type { PreparedRecord, StoredResult } from "./records.js";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

// SQLite binds at most 32,766 parameters per statement; stay well below it.
const MAX_PARAMS = 30_000;
const chunk = <T>(rows: T[], columns: number): T[][] => {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
};

const identityKey = (i: Identifier) => `${i.kind}\u0000${i.value}`;
const recordKey = (r: PreparedRecord) => `${r.kind}\u0000${r.row.source}\u0000${r.row.externalId}`;

/**
 * Stores records in one write transaction: answers existing (source, externalId) with the stored row,
 * links every new record to a customer through its identifiers (creating the customer when none is
 * known) and inserts everything with multi-row statements. Runs only database work inside the
 * transaction, so the write lock is held for as short a time as possible.
 */
export async function storeRecords(db: Db, records: PreparedRecord[], now: Date): Promise<StoredResult[]> {
  return db.transaction(async (tx) => {
    const results: StoredResult[] = new Array(records.length);
    const existing = await findExisting(tx, records);
    const owners = await findOwners(tx, records.flatMap((r) => r.identifiers));

    const newCustomers: (typeof customers.$inferInsert)[] = [];
    const newIdentities: (typeof identities.$inferInsert)[] = [];
    const newInteractions: (typeof interactions.$inferInsert)[] = [];
    const newEvents: (typeof journeyEvents.$inferInsert)[] = [];
    const firstInBatch = new Map<string, StoredResult>();

    records.forEach((record, index) => {
      const key = recordKey(record);
      const stored = existing.get(key) ?? firstInBatch.get(key);
      if (stored) {
        results[index] = { ...stored, created: false };
        return;
      }
      const customerId = ownerOf(record.identifiers, owners) ?? newCustomer(record, newCustomers, now);
      for (const identifier of record.identifiers) {
        if (owners.has(identityKey(identifier))) continue;
        owners.set(identityKey(identifier), customerId);
        newIdentities.push({ id: newId("idn"), customerId, kind: identifier.kind, value: identifier.value, createdAt: now });
      }
      const id = newId(record.kind === "interaction" ? "int" : "evt");
      if (record.kind === "interaction") newInteractions.push({ ...record.row, id, customerId });
      else newEvents.push({ ...record.row, id, customerId });
      results[index] = { id, customerId, created: true };
      firstInBatch.set(key, results[index]);
    });

    for (const rows of chunk(newCustomers, 4)) await tx.insert(customers).values(rows);
    for (const rows of chunk(newIdentities, 5)) await tx.insert(identities).values(rows);
    for (const rows of chunk(newInteractions, 18)) await tx.insert(interactions).values(rows);
    for (const rows of chunk(newEvents, 13)) await tx.insert(journeyEvents).values(rows);
    return results;
  });
}

function newCustomer(record: PreparedRecord, out: (typeof customers.$inferInsert)[], now: Date): string {
  const id = newId("cus");
  out.push({ id, displayName: record.displayName ?? null, createdAt: now, updatedAt: now });
  return id;
}

/** The customer the record's highest-priority known identifier belongs to. */
function ownerOf(ids: Identifier[], owners: Map<string, string>): string | undefined {
  for (const kind of identifierPriority) {
    for (const i of ids) {
      if (i.kind !== kind) continue;
      const owner = owners.get(identityKey(i));
      if (owner) return owner;
    }
  }
  return undefined;
}

async function findOwners(tx: Tx, ids: Identifier[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const values = [...new Set(ids.map((i) => i.value))];
  for (const part of chunk(values, 1)) {
    const rows = await tx
      .select({ kind: identities.kind, value: identities.value, customerId: identities.customerId })
      .from(identities)
      .where(inArray(identities.value, part));
    for (const row of rows) owners.set(identityKey(row), row.customerId);
  }
  return owners;
}

async function findExisting(tx: Tx, records: PreparedRecord[]): Promise<Map<string, StoredResult>> {
  const found = new Map<string, StoredResult>();
  const groups = new Map<string, { kind: PreparedRecord["kind"]; source: string; ids: string[] }>();
  for (const r of records) {
    const g = groups.get(`${r.kind}\u0000${r.row.source}`) ?? { kind: r.kind, source: r.row.source, ids: [] };
    g.ids.push(r.row.externalId);
    groups.set(`${r.kind}\u0000${r.row.source}`, g);
  }
  for (const { kind, source, ids } of groups.values()) {
    const table = kind === "interaction" ? interactions : journeyEvents;
    for (const part of chunk([...new Set(ids)], 1)) {
      const rows = await tx
        .select({ id: table.id, customerId: table.customerId, externalId: table.externalId })
        .from(table)
        .where(and(eq(table.source, source), inArray(table.externalId, part)));
      for (const row of rows) {
        found.set(`${kind}\u0000${source}\u0000${row.externalId}`, { id: row.id, customerId: row.customerId, created: false });
      }
    }
  }
  return found;
}
