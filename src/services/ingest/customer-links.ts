import type { Transaction } from "@libsql/client";
import { jsonList, type SqlValue } from "../../db/insert-values.js";
import { identifierPriority, type Identifier } from "../identity/normalise.js";
import { mergeCustomers } from "../identity/merge.js";
import { blockedPairs, isBlocked, recordConflict } from "../identity/conflicts.js";
import type { IdentityRules } from "../identity/rules.js";
import type { PreparedRecord } from "./records.js";

// Linking stored records to customers inside the ingest transaction: who owns an identifier already,
// which customer a record belongs to, merging the customers a record shows to be one, and the
// per-kind identifier caps. src/services/ingest/store.ts calls these while it stores a batch.

type Value = SqlValue;

export const identityKey = (kind: string, value: string) => `${kind}\u0000${value}`;

/** Who owns the records' identifiers already, keyed by identityKey. */
export async function findOwners(tx: Transaction, records: PreparedRecord[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  // One query per kind, so the unique (kind, value) index answers it: by value alone SQLite scanned
  // the whole identities table on every write.
  const valuesByKind = new Map<string, string[]>();
  for (const r of records) {
    for (const i of r.identifiers) {
      const values = valuesByKind.get(i.kind);
      if (values) values.push(i.value);
      else valuesByKind.set(i.kind, [i.value]);
    }
  }
  for (const [kind, values] of valuesByKind) {
    const rows = (
      await tx.execute({
        sql: "SELECT value, customer_id FROM identities WHERE kind = ? AND value IN (SELECT j.value FROM json_each(?) j)",
        args: [kind, jsonList([...new Set(values)])],
      })
    ).rows as unknown as Array<Record<string, Value>>;
    for (const row of rows) owners.set(identityKey(kind, String(row.value)), String(row.customer_id));
  }
  return owners;
}

/** The distinct customers the record's identifiers already belong to, ignoring kinds that never merge. */
export function mergeableOwners(
  identifiers: Identifier[],
  owners: Map<string, string>,
  rules: IdentityRules,
): string[] {
  const found: string[] = [];
  for (const i of identifiers) {
    if (rules.neverMerge.has(i.kind)) continue;
    const owner = owners.get(identityKey(i.kind, i.value));
    if (owner && !found.includes(owner)) found.push(owner);
  }
  return found;
}

/**
 * Merges every customer in `ids` into the survivor the rules choose and points the owners map at it;
 * a pair an unmerge separated is left apart and recorded as an identity conflict.
 */
export async function mergeAll(
  tx: Transaction,
  ids: string[],
  record: PreparedRecord,
  owners: Map<string, string>,
  rules: IdentityRules,
  at: number,
): Promise<string> {
  const rows = (
    await tx.execute({
      sql: `SELECT id, created_at FROM customers WHERE id IN (${ids.map(() => "?").join(",")})`,
      args: ids,
    })
  ).rows as unknown as Array<Record<string, Value>>;
  const byAge = rows
    .sort((a, b) => Number(a.created_at) - Number(b.created_at) || String(a.id).localeCompare(String(b.id)))
    .map((r) => String(r.id));
  const survivor = rules.survivor === "older" ? byAge[0] : byAge[byAge.length - 1];
  const evidence = {
    identifiers: record.identifiers.map((i) => ({
      kind: i.kind,
      value: i.value,
      customerId: owners.get(identityKey(i.kind, i.value)) ?? null,
    })),
    record: { kind: record.kind, source: record.row.source, externalId: record.row.externalId },
  };
  const blocked = await blockedPairs(tx, byAge);
  for (const merged of byAge.filter((id) => id !== survivor)) {
    // An unmerge separated these two: a person decides, not the next record.
    if (isBlocked(blocked, survivor, merged)) {
      await recordConflict(tx, survivor, merged, evidence, at);
      continue;
    }
    await mergeCustomers(tx, {
      survivorId: survivor,
      mergedId: merged,
      rule: "shared identifiers",
      evidence,
      actor: "system",
      at,
    });
    for (const [k, v] of owners) if (v === merged) owners.set(k, survivor);
  }
  return survivor;
}

/** Identifier counts per customer and kind, read from the database once per customer and kept up to date. */
export class IdentityCounts {
  #counts = new Map<string, Map<string, number>>();
  constructor(private readonly tx: Transaction) {}
  startEmpty(customerId: string) {
    this.#counts.set(customerId, new Map());
  }
  forget(customerIds: string[]) {
    for (const id of customerIds) this.#counts.delete(id);
  }
  async count(customerId: string, kind: string): Promise<number> {
    let perKind = this.#counts.get(customerId);
    if (!perKind) {
      const rows = (
        await this.tx.execute({
          sql: "SELECT kind, count(*) AS n FROM identities WHERE customer_id = ? GROUP BY kind",
          args: [customerId],
        })
      ).rows as unknown as Array<Record<string, Value>>;
      perKind = new Map(rows.map((r) => [String(r.kind), Number(r.n)]));
      this.#counts.set(customerId, perKind);
    }
    return perKind.get(kind) ?? 0;
  }
  add(customerId: string, kind: string) {
    const perKind = this.#counts.get(customerId);
    if (perKind) perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
  }
}

/** The customer the record's highest-priority known identifier belongs to. */
export function ownerOf(ids: Identifier[], owners: Map<string, string>): string | undefined {
  for (const kind of identifierPriority) {
    for (const i of ids) {
      if (i.kind !== kind) continue;
      const owner = owners.get(identityKey(i.kind, i.value));
      if (owner) return owner;
    }
  }
  return undefined;
}
