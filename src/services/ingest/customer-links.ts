import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { jsonList, type SqlValue } from "../../db/insert-values.js";
import { readStatement, rowsFrom, type RowsRead } from "../../db/json-rows.js";
import { identifierPriority, type Identifier } from "../identity/normalise.js";
import { mergeStatements } from "../identity/merge.js";
import { newId } from "../../lib/ids.js";
import { isBlocked } from "../identity/conflicts.js";
import type { IdentityRules } from "../identity/rules.js";
import type { PreparedRecord } from "./records.js";

// Linking stored records to customers inside the ingest transaction: who owns an identifier already,
// which customer a record belongs to, merging the customers a record shows to be one, and the
// per-kind identifier caps. src/services/ingest/store.ts calls these while it stores a batch.

type Value = SqlValue;

export const identityKey = (kind: string, value: string) => `${kind}\u0000${value}`;

/**
 * The statements that read who owns the records' identifiers already (answered by ownersFrom), sent
 * with the batch's other up-front reads. One query per kind, so the unique (kind, value) index answers
 * it: by value alone SQLite scanned the whole identities table on every write.
 */
export function ownerStatements(tx: Transaction, records: PreparedRecord[]): InStatement[] {
  const valuesByKind = new Map<string, string[]>();
  for (const r of records) {
    for (const i of r.identifiers) {
      const values = valuesByKind.get(i.kind);
      if (values) values.push(i.value);
      else valuesByKind.set(i.kind, [i.value]);
    }
  }
  const out: InStatement[] = [];
  for (const [kind, values] of valuesByKind)
    out.push(
      readStatement(
        tx,
        {
          sql: "SELECT kind, value, customer_id FROM identities WHERE kind = ? AND value IN (SELECT j.value FROM json_each(?) j)",
          args: [kind, jsonList([...new Set(values)])],
        },
        ownerRead,
      ),
    );
  return out;
}

const ownerRead: RowsRead = { columns: ["kind", "value", "customer_id"] };

/** Owners keyed by identityKey, from the answers to ownerStatements. */
export function ownersFrom(results: ResultSet[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const rs of results)
    for (const row of rowsFrom<Record<string, Value>>(rs, ownerRead))
      owners.set(identityKey(String(row.kind), String(row.value)), String(row.customer_id));
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
 * Merges every customer in `ids` into the survivor the rules choose, appending the merges' statements
 * to `out` (sent in the batch's write, after the inserts gathered before it), and points the owners
 * map and the identifier counts at the survivor. Reads nothing itself: the customers' ages and
 * counts come from `facts`, the pairs an unmerge separated from `blocked`. Such a pair is left apart
 * and added to `after.conflicts`; every merge made goes to `after.merges`, whose live moments are
 * folded once the batch has written (both need reads, and are rare).
 */
export function mergeAll(
  out: InStatement[],
  ids: string[],
  record: PreparedRecord,
  owners: Map<string, string>,
  rules: IdentityRules,
  facts: CustomerFacts,
  at: number,
  blocked: Set<string>,
  after: AfterMerges,
): string {
  const byAge = [...ids].sort((a, b) => facts.createdAt(a) - facts.createdAt(b) || a.localeCompare(b));
  const survivor = rules.survivor === "older" ? byAge[0] : byAge[byAge.length - 1];
  const evidence = {
    identifiers: record.identifiers.map((i) => ({
      kind: i.kind,
      value: i.value,
      customerId: owners.get(identityKey(i.kind, i.value)) ?? null,
    })),
    record: { kind: record.kind, source: record.row.source, externalId: record.row.externalId },
  };
  for (const merged of byAge) {
    if (merged === survivor) continue;
    // An unmerge separated these two: a person decides, not the next record.
    if (isBlocked(blocked, survivor, merged)) {
      after.conflicts.push({ customerId: survivor, otherId: merged, evidence });
      continue;
    }
    const mergeId = newId("mrg");
    const request = {
      survivorId: survivor,
      mergedId: merged,
      rule: "shared identifiers",
      evidence,
      actor: "system",
      at,
    };
    for (const st of mergeStatements(request, mergeId)) out.push(st);
    after.merges.push({ survivorId: survivor, mergedId: merged, mergeId });
    for (const [k, v] of owners) if (v === merged) owners.set(k, survivor);
    facts.merge(survivor, merged);
  }
  return survivor;
}

/** What a batch's merges leave to do once its write is in: conflicts to record, moments to fold. */
export interface AfterMerges {
  conflicts: Array<{ customerId: string; otherId: string; evidence: Record<string, unknown> }>;
  merges: Array<{ survivorId: string; mergedId: string; mergeId: string }>;
}

/**
 * What linking needs to know of the customers a batch touches, read up front in one round trip:
 * identifier counts per kind (for the per-kind caps) and, when the batch merges, ages (for the
 * survivor rule). Customers created in the batch start empty and are the newest.
 */
export class CustomerFacts {
  #counts = new Map<string, Map<string, number>>();
  #created = new Map<string, number>();
  constructor(
    private readonly tx: Transaction,
    private readonly at: number,
  ) {}
  startEmpty(customerId: string) {
    this.#counts.set(customerId, new Map());
    this.#created.set(customerId, this.at);
  }
  /**
   * Reads the counts of every customer in `counted` and the creation times of every one in `aged`,
   * in one batch, so that a batch whose records bring new identifiers to known customers, or merge
   * them, costs one round trip, not several per customer. `also` are read in the same batch; their
   * answers are returned.
   */
  async prefetch(
    counted: Iterable<string>,
    aged: Iterable<string> = [],
    also: InStatement[] = [],
  ): Promise<ResultSet[]> {
    const wanted = [...new Set(counted)].filter((id) => !this.#counts.has(id));
    const ages = [...new Set(aged)].filter((id) => !this.#created.has(id));
    if (wanted.length === 0 && ages.length === 0) return also.length > 0 ? this.tx.batch(also) : [];
    const [counts, created, ...rest] = await this.tx.batch([
      {
        sql: "SELECT customer_id, kind, count(*) AS n FROM identities WHERE customer_id IN (SELECT value FROM json_each(?)) GROUP BY customer_id, kind",
        args: [jsonList(wanted)],
      },
      {
        sql: "SELECT id, created_at FROM customers WHERE id IN (SELECT value FROM json_each(?))",
        args: [jsonList(ages)],
      },
      ...also,
    ]);
    for (const id of wanted) this.#counts.set(id, new Map());
    for (const r of counts.rows as unknown as Array<Record<string, Value>>)
      this.#counts.get(String(r.customer_id))?.set(String(r.kind), Number(r.n));
    for (const r of created.rows as unknown as Array<Record<string, Value>>)
      this.#created.set(String(r.id), Number(r.created_at));
    return rest;
  }
  /** The customer's creation time; every customer a batch can merge was prefetched or created in it. */
  createdAt(customerId: string): number {
    const t = this.#created.get(customerId);
    if (t === undefined) throw new Error(`customer ${customerId} was not prefetched`);
    return t;
  }
  async count(customerId: string, kind: string): Promise<number> {
    let perKind = this.#counts.get(customerId);
    if (!perKind) {
      await this.prefetch([customerId]);
      perKind = this.#counts.get(customerId) ?? new Map();
    }
    return perKind.get(kind) ?? 0;
  }
  add(customerId: string, kind: string) {
    const perKind = this.#counts.get(customerId);
    if (perKind) perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
  }
  /** The survivor holds the merged customer's identifiers too. */
  merge(survivor: string, merged: string) {
    const a = this.#counts.get(survivor);
    const b = this.#counts.get(merged);
    this.#counts.delete(merged);
    if (!a || !b) {
      this.#counts.delete(survivor);
      return;
    }
    for (const [kind, n] of b) a.set(kind, (a.get(kind) ?? 0) + n);
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
