import { and, desc, eq, gte, inArray, isNull, lt, or, type SQL } from "drizzle-orm";
import type { VerdictView } from "../../contracts/verdicts.js";
import type { Db } from "../../db/client.js";
import { verdicts, type VerdictSubject, type VerdictValue } from "../../db/schema/index.js";
import { encodeCursor, type Cursor } from "../../lib/cursor.js";

type VerdictRow = typeof verdicts.$inferSelect;

/** A verdict as the API and the console show it. */
export function verdictView(v: VerdictRow): VerdictView {
  return {
    id: v.id,
    subject: { kind: v.subjectKind, id: v.subjectId },
    customerId: v.customerId,
    verdict: v.verdict,
    reason: v.reason,
    note: v.note,
    by: { id: v.actor, name: v.actorName, via: v.via },
    at: v.createdAt.toISOString(),
    current: v.supersededAt === null,
    supersededAt: v.supersededAt?.toISOString() ?? null,
    flag: {
      flagged: v.flagged,
      risk: v.risk,
      severity: v.severity,
      channel: v.channel,
      reasons: v.reasonCodes,
      raisedAt: v.flaggedAt.toISOString(),
      rulesVersion: v.rulesVersion,
    },
  };
}

export interface VerdictListQuery {
  /** Given at or after. */
  from: Date;
  /** Given before. */
  to: Date;
  verdict?: VerdictValue[];
  kind?: VerdictSubject;
  subjectId?: string;
  /** Superseded verdicts too (each person's changes of mind). */
  history: boolean;
  cursor?: Cursor;
  limit: number;
}

/** Verdicts given in [from, to), newest first (created_at, then id), keyset-paginated on verdicts_created_idx. */
export async function listVerdicts(db: Db, q: VerdictListQuery) {
  const where: SQL[] = [gte(verdicts.createdAt, q.from), lt(verdicts.createdAt, q.to)];
  if (q.verdict?.length) where.push(inArray(verdicts.verdict, q.verdict));
  if (q.kind) where.push(eq(verdicts.subjectKind, q.kind));
  if (q.subjectId) where.push(eq(verdicts.subjectId, q.subjectId));
  if (!q.history) where.push(isNull(verdicts.supersededAt));
  if (q.cursor) {
    const t = new Date(q.cursor.t);
    where.push(or(lt(verdicts.createdAt, t), and(eq(verdicts.createdAt, t), lt(verdicts.id, q.cursor.id)))!);
  }
  const rows = await db
    .select()
    .from(verdicts)
    .where(and(...where))
    .orderBy(desc(verdicts.createdAt), desc(verdicts.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page[page.length - 1];
  return {
    items: page.map(verdictView),
    nextCursor: rows.length > q.limit && last ? encodeCursor({ t: last.createdAt.getTime(), id: last.id }) : null,
  };
}

/** One person's current verdicts on the given subjects, by subject id (what the console marks as theirs). */
export async function currentVerdictsBy(
  db: Db,
  actor: string,
  subjectIds: string[],
): Promise<Map<string, VerdictView>> {
  const out = new Map<string, VerdictView>();
  if (subjectIds.length === 0) return out;
  const rows = await db
    .select()
    .from(verdicts)
    .where(and(inArray(verdicts.subjectId, subjectIds), eq(verdicts.actor, actor), isNull(verdicts.supersededAt)));
  for (const r of rows) out.set(r.subjectId, verdictView(r));
  return out;
}
