import type { InArgs, InStatement, ResultSet } from "@libsql/client";
import { jsonList, type SqlValue } from "../../db/insert-values.js";
import type { PreparedRecord } from "./records.js";

// Idempotency: the records a batch repeats are answered with what is stored under their
// (kind, source, externalId), read up front in the batch's first round trip.

export const recordKey = (kind: string, source: string, externalId: string) =>
  `${kind}\u0000${source}\u0000${externalId}`;

/** A record already stored (or first in this batch) under a (source, externalId), with its content hash. */
export interface Stored {
  id: string;
  customerId: string;
  contentHash: string | null;
}

/** One read per (kind, source) of the records already stored under the batch's external ids. */
export function existingStatements(
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
export function existingFrom(
  reads: Array<{ kind: PreparedRecord["kind"]; source: string }>,
  answers: ResultSet[],
): Map<string, Stored> {
  const found = new Map<string, Stored>();
  for (let i = 0; i < reads.length; i++) {
    const { kind, source } = reads[i];
    for (const row of answers[i].rows as unknown as Record<string, SqlValue>[]) {
      found.set(recordKey(kind, source, String(row.external_id)), {
        id: String(row.id),
        customerId: String(row.customer_id),
        contentHash: row.content_hash === null ? null : String(row.content_hash),
      });
    }
  }
  return found;
}
