import type { InArgs, Transaction } from "@libsql/client";
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

const ids = async (tx: Transaction, table: string, customerId: string) =>
  rowsAs<{ id: string }>(
    await tx.execute({ sql: `SELECT id FROM ${table} WHERE customer_id = ?`, args: [customerId] }),
  ).map((r) => r.id);

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
 * Moves everything of `mergedId` to `survivorId` inside the caller's transaction and records what
 * moved, so that unmerge can put back exactly those rows. The merged customer is kept, marked
 * `merged_into`, and both customers' histories get an entry.
 */
export async function mergeCustomers(tx: Transaction, m: MergeRequest): Promise<string> {
  const moved: MergeSnapshot = {
    identities: await ids(tx, "identities", m.mergedId),
    interactions: await ids(tx, "interactions", m.mergedId),
    events: await ids(tx, "journey_events", m.mergedId),
  };
  await move(tx, "identities", m.survivorId, moved.identities);
  await move(tx, "interactions", m.survivorId, moved.interactions);
  await move(tx, "journey_events", m.survivorId, moved.events);
  moved.moments = await foldMoments(tx, m.survivorId, m.mergedId, m.at);
  await tx.execute({
    sql: "UPDATE customers SET merged_into = ?, updated_at = ? WHERE id = ?",
    args: [m.survivorId, m.at, m.mergedId],
  });
  // Customers merged into the merged one now belong to the survivor too (chains stay one hop).
  await tx.execute({
    sql: "UPDATE customers SET merged_into = ? WHERE merged_into = ?",
    args: [m.survivorId, m.mergedId],
  });
  const mergeId = newId("mrg");
  await tx.execute({
    sql: "INSERT INTO merges (id, survivor_id, merged_id, rule, evidence, moved, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    args: [mergeId, m.survivorId, m.mergedId, m.rule, JSON.stringify(m.evidence), JSON.stringify(moved), m.actor, m.at],
  });
  const counts = {
    identities: moved.identities.length,
    interactions: moved.interactions.length,
    events: moved.events.length,
    moments: moved.moments ? moved.moments.moved.length + moved.moments.folded.length : 0,
  };
  await audit(tx, {
    customerId: m.survivorId,
    action: "merge",
    rule: m.rule,
    details: { merged: m.mergedId, evidence: m.evidence, moved: counts },
    mergeId,
    actor: m.actor,
    at: m.at,
  });
  await audit(tx, {
    customerId: m.mergedId,
    action: "merged_into",
    rule: m.rule,
    details: { survivor: m.survivorId, evidence: m.evidence, moved: counts },
    mergeId,
    actor: m.actor,
    at: m.at,
  });
  return mergeId;
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
