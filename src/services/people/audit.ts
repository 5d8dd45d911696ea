import type { Transaction } from "@libsql/client";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { ormFor, type Db } from "../../db/client.js";
import { auditLog, type auditActions } from "../../db/schema/index.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";
import { newId } from "../../lib/ids.js";
import type { Actor } from "./principal.js";

export type AuditAction = (typeof auditActions)[number];

export interface AuditEntry {
  action: AuditAction;
  actor: Actor;
  /** The person acted on, when there is one. */
  subjectId?: string | null;
  details?: Record<string, unknown>;
  at: Date;
}

/** The entries' rows; written inside the transaction whose change they record, or alone. */
function rows(entries: AuditEntry[]) {
  return entries.map((e) => ({
    id: newId("aud", e.at.getTime()),
    action: e.action,
    actor: e.actor.ref,
    actorName: e.actor.name,
    subjectId: e.subjectId ?? null,
    details: e.details ?? {},
    at: e.at,
  }));
}

export async function audit(target: Db | Transaction, ...entries: AuditEntry[]) {
  if (!entries.length) return;
  if ("write" in target) await target.write(({ orm }) => orm.insert(auditLog).values(rows(entries)));
  else await ormFor(target).insert(auditLog).values(rows(entries));
}

type AuditRow = typeof auditLog.$inferSelect;

export const auditView = (r: AuditRow) => ({
  id: r.id,
  action: r.action,
  by: { id: r.actor, name: r.actorName },
  subjectId: r.subjectId,
  details: r.details,
  at: r.at.toISOString(),
});

/** Entries newest first, keyset-paginated on (at, id); the audit_log_at_idx index serves it. */
export async function listAudit(
  db: Db,
  q: { subjectId?: string; action?: AuditAction; cursor?: Cursor; limit: number },
) {
  const where: SQL[] = [];
  if (q.subjectId) where.push(eq(auditLog.subjectId, q.subjectId));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.cursor) {
    const t = new Date(q.cursor.t);
    where.push(or(lt(auditLog.at, t), and(eq(auditLog.at, t), lt(auditLog.id, q.cursor.id)))!);
  }
  const found = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(auditView),
    nextCursor: found.length > q.limit && last ? encodeCursor({ t: last.at.getTime(), id: last.id }) : null,
  };
}
