import type { InArgs, InStatement, Transaction } from "@libsql/client";
import type { MergeSnapshot } from "../../db/schema/index.js";
import { rowsAs } from "../../db/raw-rows.js";
import { notFound } from "../../lib/domain-error.js";
import { newId } from "../../lib/ids.js";
import { foldMoments, unfoldMoments, type MomentFold } from "../moments/merge-moments.js";

export interface MergeRequest {
  survivorId: string;
  mergedId: string;
  rule: string;
  evidence: Record<string, unknown>;
  actor: string;
  at: number;
}

export async function audit(
  tx: Transaction,
  e: {
    customerId: string;
    action: string;
    rule?: string | null;
    details: Record<string, unknown>;
    mergeId?: string | null;
    actor: string;
    at: number;
  },
) {
  await tx.execute({
    sql: "INSERT INTO identity_events (id, customer_id, action, rule, details, merge_id, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    args: [
      newId("iev"),
      e.customerId,
      e.action,
      e.rule ?? null,
      JSON.stringify(e.details),
      e.mergeId ?? null,
      e.actor,
      e.at,
    ],
  });
}

async function move(tx: Transaction, table: string, to: string, list: string[]) {
  for (let i = 0; i < list.length; i += 500) {
    const part = list.slice(i, i + 500);
    await tx.execute({
      sql: `UPDATE ${table} SET customer_id = ? WHERE id IN (${part.map(() => "?").join(",")})`,
      args: [to, ...part] as InArgs,
    });
  }
}

/**
 * The statements that move everything of `mergedId` to `survivorId` and record what moved, so that
 * unmerge can put back exactly those rows. They read nothing back to the client: the snapshot of
 * the moved rows and the audit's counts are taken by the statements themselves, so a merge can go
 * in the same batch as the writes around it (one round trip through a libSQL server) and sees the
 * rows the statements before it in that batch wrote.
 */
export function mergeStatements(m: MergeRequest, mergeId: string): InStatement[] {
  const auditEntry = (customerId: string, action: string, other: [key: string, id: string]): InStatement => ({
    sql: `INSERT INTO identity_events (id, customer_id, action, rule, details, merge_id, actor, created_at)
      SELECT ?, ?, ?, ?, json_object(?, ?, 'evidence', json(?), 'moved', json_object('identities', json_array_length(moved, '$.identities'), 'interactions', json_array_length(moved, '$.interactions'), 'events', json_array_length(moved, '$.events'))), ?, ?, ?
      FROM merges WHERE id = ?`,
    args: [
      newId("iev"),
      customerId,
      action,
      m.rule,
      other[0],
      other[1],
      JSON.stringify(m.evidence),
      mergeId,
      m.actor,
      m.at,
      mergeId,
    ],
  });
  return [
    // The snapshot first: the rows the merged customer holds now are the ones the next statements move.
    {
      sql: `INSERT INTO merges (id, survivor_id, merged_id, rule, evidence, moved, actor, created_at)
        VALUES (?, ?, ?, ?, ?, json_object(
          'identities', (SELECT json_group_array(id) FROM identities WHERE customer_id = ?),
          'interactions', (SELECT json_group_array(id) FROM interactions WHERE customer_id = ?),
          'events', (SELECT json_group_array(id) FROM journey_events WHERE customer_id = ?)), ?, ?)`,
      args: [
        mergeId,
        m.survivorId,
        m.mergedId,
        m.rule,
        JSON.stringify(m.evidence),
        m.mergedId,
        m.mergedId,
        m.mergedId,
        m.actor,
        m.at,
      ],
    },
    { sql: "UPDATE identities SET customer_id = ? WHERE customer_id = ?", args: [m.survivorId, m.mergedId] },
    { sql: "UPDATE interactions SET customer_id = ? WHERE customer_id = ?", args: [m.survivorId, m.mergedId] },
    { sql: "UPDATE journey_events SET customer_id = ? WHERE customer_id = ?", args: [m.survivorId, m.mergedId] },
    {
      sql: "UPDATE customers SET merged_into = ?, updated_at = ? WHERE id = ?",
      args: [m.survivorId, m.at, m.mergedId],
    },
    // Customers merged into the merged one now belong to the survivor too (chains stay one hop).
    { sql: "UPDATE customers SET merged_into = ? WHERE merged_into = ?", args: [m.survivorId, m.mergedId] },
    auditEntry(m.survivorId, "merge", ["merged", m.mergedId]),
    auditEntry(m.mergedId, "merged_into", ["survivor", m.survivorId]),
  ];
}

/** Merges `mergedId` into `survivorId` inside the caller's transaction (mergeStatements, in one batch). */
export async function mergeCustomers(tx: Transaction, m: MergeRequest): Promise<string> {
  const mergeId = newId("mrg");
  await tx.batch(mergeStatements(m, mergeId));
  await foldMomentsOfMerge(tx, m.survivorId, m.mergedId, mergeId, m.at);
  return mergeId;
}

/**
 * Folds the two customers' live moments into one after their merge, and keeps what folding changed in
 * the merge's snapshot for unmerge. Reads the moments, so it runs after the merge's batch has written.
 */
export async function foldMomentsOfMerge(
  tx: Transaction,
  survivorId: string,
  mergedId: string,
  mergeId: string,
  at: number,
) {
  const fold = await foldMoments(tx, survivorId, mergedId, at);
  if (!fold) return;
  await tx.execute({
    sql: "UPDATE merges SET moved = json_set(moved, '$.moments', json(?)) WHERE id = ?",
    args: [JSON.stringify(fold), mergeId],
  });
}

/**
 * Undoes a merge: the merged customer is restored and the identifiers, interactions and events the
 * merge moved go back to it, wherever they are now. Rows that arrived after the merge stay where they are.
 */
export async function unmerge(
  tx: Transaction,
  survivorId: string,
  mergeId: string | undefined,
  actor: string,
  at: number,
) {
  const rows = rowsAs<{ id: string; merged_id: string; moved: string }>(
    await tx.execute({
      sql: `SELECT id, merged_id, moved FROM merges WHERE survivor_id = ? AND undone_at IS NULL ${mergeId ? "AND id = ?" : ""} ORDER BY created_at DESC, id DESC LIMIT 1`,
      args: mergeId ? [survivorId, mergeId] : [survivorId],
    }),
  );
  const m = rows[0];
  if (!m)
    throw notFound(
      mergeId ? `No active merge ${mergeId} into ${survivorId}.` : `Nothing is merged into ${survivorId}.`,
    );
  const moved = JSON.parse(String(m.moved)) as MergeSnapshot;
  const mergedId = String(m.merged_id);
  await move(tx, "identities", mergedId, moved.identities);
  await move(tx, "interactions", mergedId, moved.interactions);
  await move(tx, "journey_events", mergedId, moved.events);
  if (moved.moments) await unfoldMoments(tx, moved.moments as unknown as MomentFold, mergedId, at);
  await tx.execute({
    sql: "UPDATE customers SET merged_into = NULL, updated_at = ? WHERE id = ?",
    args: [at, mergedId],
  });
  await tx.execute({ sql: "UPDATE merges SET undone_at = ? WHERE id = ?", args: [at, String(m.id)] });
  // Remembered: shared identifiers on a later record raise a conflict to review instead of merging again.
  const [a, b] = [survivorId, mergedId].sort();
  await tx.execute({
    sql: "INSERT INTO merge_blocks (customer_a, customer_b, merge_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET merge_id = excluded.merge_id, created_at = excluded.created_at",
    args: [a, b, String(m.id), at],
  });
  const details = {
    survivor: survivorId,
    restored: mergedId,
    moved: {
      identities: moved.identities.length,
      interactions: moved.interactions.length,
      events: moved.events.length,
    },
  };
  await audit(tx, {
    customerId: survivorId,
    action: "unmerge",
    rule: "manual",
    details,
    mergeId: String(m.id),
    actor,
    at,
  });
  await audit(tx, {
    customerId: mergedId,
    action: "unmerge",
    rule: "manual",
    details,
    mergeId: String(m.id),
    actor,
    at,
  });
  return { mergeId: String(m.id), restored: mergedId, moved: details.moved };
}
