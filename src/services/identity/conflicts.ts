import type { InStatement, ResultSet, Transaction } from "@libsql/client";
import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { ormFor, writeTransaction, type Db } from "../../db/client.js";
import { rowsAs } from "../../db/raw-rows.js";
import { jsonList } from "../../db/insert-values.js";
import { customers, identityConflicts, type conflictStatuses } from "../../db/schema/index.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";
import { conflict, notFound } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import { bestIdentifierSql, customerLabel } from "../customers/label.js";
import type { Person } from "../person.js";
import { audit } from "./merge.js";

// Customers an unmerge separated are not merged again by ingest on shared identifiers: each record
// that would have merged them raises (or adds to) a conflict for a person to review.

const pairKey = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** The blocked pairs among `ids`, as pairKey strings (one query on the merge_blocks primary key). */
export async function blockedPairs(tx: Transaction, ids: string[]): Promise<Set<string>> {
  return blockedPairsFrom(await tx.execute(blockedPairsStatement(ids)));
}

/** The statement blockedPairs runs, for a caller that reads it with others in one batch. */
export const blockedPairsStatement = (ids: string[]): InStatement => ({
  sql: "SELECT customer_a, customer_b FROM merge_blocks WHERE customer_a IN (SELECT value FROM json_each(?1)) AND customer_b IN (SELECT value FROM json_each(?1))",
  args: [jsonList(ids)],
});

export const blockedPairsFrom = (rs: ResultSet): Set<string> =>
  new Set(rowsAs<{ customer_a: string; customer_b: string }>(rs).map((r) => pairKey(r.customer_a, r.customer_b)));

export const isBlocked = (pairs: Set<string>, a: string, b: string) => pairs.has(pairKey(a, b));

/**
 * Records that a record's identifiers named two customers an unmerge had separated: one open conflict
 * per pair, whose evidence is the latest such record and how many there were.
 */
export async function recordConflict(
  tx: Transaction,
  customerId: string,
  otherId: string,
  evidence: Record<string, unknown>,
  at: number,
) {
  const [open] = rowsAs<{ id: string; evidence: string }>(
    await tx.execute({
      sql: "SELECT id, evidence FROM identity_conflicts WHERE status = 'open' AND ((customer_id = ?1 AND other_id = ?2) OR (customer_id = ?2 AND other_id = ?1)) LIMIT 1",
      args: [customerId, otherId],
    }),
  );
  if (open) {
    const records = Number((JSON.parse(open.evidence) as { records?: number }).records ?? 1) + 1;
    await tx.execute({
      sql: "UPDATE identity_conflicts SET evidence = ? WHERE id = ?",
      args: [JSON.stringify({ ...evidence, records }), open.id],
    });
    return;
  }
  const id = newId("icf", at);
  await tx.execute({
    sql: "INSERT INTO identity_conflicts (id, customer_id, other_id, evidence, status, created_at) VALUES (?, ?, ?, ?, 'open', ?)",
    args: [id, customerId, otherId, JSON.stringify({ ...evidence, records: 1 }), at],
  });
  for (const [self, other] of [
    [customerId, otherId],
    [otherId, customerId],
  ])
    await audit(tx, {
      customerId: self,
      action: "merge_conflict",
      rule: "unmerged before",
      details: { other, conflict: id },
      actor: "system",
      at,
    });
}

/** A person merged the pair by hand: the block goes and their open conflicts are settled as merged. */
export async function settleByMerge(tx: Transaction, a: string, b: string, by: string, at: number) {
  const [x, y] = [a, b].sort();
  await tx.execute({ sql: "DELETE FROM merge_blocks WHERE customer_a = ? AND customer_b = ?", args: [x, y] });
  await tx.execute({
    sql: "UPDATE identity_conflicts SET status = 'merged', reviewed_by = ?, reviewed_at = ? WHERE status = 'open' AND ((customer_id = ?3 AND other_id = ?4) OR (customer_id = ?4 AND other_id = ?3))",
    args: [by, at, a, b],
  });
}

type Status = (typeof conflictStatuses)[number];

/** Conflicts newest first, keyset-paginated, each customer shown by name or best identifier. */
export async function listConflicts(db: Db, q: { status: Status; cursor?: Cursor; limit: number }) {
  const a = alias(customers, "a");
  const b = alias(customers, "b");
  const where = [eq(identityConflicts.status, q.status)];
  if (q.cursor) {
    const t = new Date(q.cursor.t);
    where.push(
      or(
        lt(identityConflicts.createdAt, t),
        and(eq(identityConflicts.createdAt, t), lt(identityConflicts.id, q.cursor.id)),
      )!,
    );
  }
  const rows = await db
    .select({
      c: identityConflicts,
      aName: a.displayName,
      aBest: sql<string | null>`${bestIdentifierSql(identityConflicts.customerId)}`,
      bName: b.displayName,
      bBest: sql<string | null>`${bestIdentifierSql(identityConflicts.otherId)}`,
    })
    .from(identityConflicts)
    .leftJoin(a, eq(a.id, identityConflicts.customerId))
    .leftJoin(b, eq(b.id, identityConflicts.otherId))
    .where(and(...where))
    .orderBy(desc(identityConflicts.createdAt), desc(identityConflicts.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      id: r.c.id,
      status: r.c.status,
      customer: { id: r.c.customerId, label: customerLabel(r.aName, r.aBest) },
      other: { id: r.c.otherId, label: customerLabel(r.bName, r.bBest) },
      evidence: r.c.evidence,
      createdAt: r.c.createdAt.toISOString(),
      reviewed: r.c.reviewedAt ? { by: String(r.c.reviewedBy), at: r.c.reviewedAt.toISOString() } : null,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.c.createdAt.getTime(), id: last.c.id }) : null,
  };
}

/** A person judged the two to be different people: the conflict is closed, the block stays. */
export async function dismissConflict(db: Db, id: string, by: Person, at: Date) {
  await writeTransaction(db, async (tx) => {
    const orm = ormFor(tx);
    const [c] = await orm.select().from(identityConflicts).where(eq(identityConflicts.id, id));
    if (!c) throw notFound(`No identity conflict ${id}.`);
    if (c.status !== "open") throw conflict(`Identity conflict ${id} is already ${c.status}.`);
    await orm
      .update(identityConflicts)
      .set({ status: "dismissed", reviewedBy: by.id, reviewedAt: at })
      .where(eq(identityConflicts.id, id));
  });
  const page = await db.select().from(identityConflicts).where(eq(identityConflicts.id, id));
  return { id, status: page[0].status };
}
