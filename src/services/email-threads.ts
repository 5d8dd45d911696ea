import { writeTransaction, type Db } from "../db/client.js";
import { jsonList } from "../db/insert-values.js";
import { rowsAs } from "../db/raw-rows.js";
import { notFound } from "../lib/domain-error.js";

/** The Message-IDs a raw email names: its own, its parent's (In-Reply-To) and its ancestors' (References, root first). */
export interface MessageIds {
  messageId?: string;
  inReplyTo?: string;
  references: string[];
}

/** Ancestors looked up per message: References past this are the middle of a very long thread. */
const MAX_ANCESTORS = 50;

/** The ids an email may share a thread with, root first: References, then In-Reply-To. */
function ancestorsOf(m: MessageIds): string[] {
  const ids = [...m.references.slice(0, MAX_ANCESTORS - 1)];
  if (m.inReplyTo && !ids.includes(m.inReplyTo)) ids.push(m.inReplyTo);
  return ids;
}

/**
 * The thread a raw email joins: the thread of the first ancestor already stored under `source` (a
 * reply whose client sent only In-Reply-To still joins its parent's thread), else its References'
 * root, else its parent, else itself.
 */
export async function resolveThread(db: Db, source: string, m: MessageIds): Promise<string | undefined> {
  const ancestors = ancestorsOf(m);
  if (ancestors.length) {
    const rs = await db.$client.execute({
      sql: `SELECT external_id, json_extract(channel_data, '$.threadId') AS thread_id FROM interactions
            WHERE source = ? AND external_id IN (SELECT value FROM json_each(?)) AND channel = 'email'`,
      args: [source, jsonList(ancestors)],
    });
    const threads = new Map(
      rowsAs<{ external_id: string; thread_id: string | null }>(rs).map((r) => [r.external_id, r.thread_id]),
    );
    for (const id of ancestors) {
      const thread = threads.get(id);
      if (thread) return thread;
    }
  }
  return ancestors[0] ?? m.messageId;
}

/**
 * Moves emails stored before their ancestors into `thread`: a reply that arrived first named its
 * thread after the parent it knew (or after this message), which now turns out to belong to `thread`.
 * Served by interactions_email_thread_idx. Returns how many were moved.
 */
export async function joinThread(db: Db, source: string, m: MessageIds, thread: string): Promise<number> {
  const names = [m.messageId, ...ancestorsOf(m)].filter((id): id is string => !!id && id !== thread);
  if (!names.length) return 0;
  return writeTransaction(db, async (tx) => {
    const rs = await tx.execute({
      sql: `UPDATE interactions SET channel_data = json_set(channel_data, '$.threadId', ?)
            WHERE source = ? AND json_extract(channel_data, '$.threadId') IN (SELECT value FROM json_each(?))
              AND channel = 'email'`,
      args: [thread, source, jsonList(names)],
    });
    return rs.rowsAffected;
  });
}

export interface ThreadMessage {
  id: string;
  externalId: string;
  occurredAt: string;
  subject: string | null;
  from: string | null;
  direction: string | null;
  text: string;
}

/** Longest thread read at once. */
export const MAX_THREAD_MESSAGES = 500;

/**
 * The emails of one interaction's thread, oldest first (at most MAX_THREAD_MESSAGES). An email without
 * a thread, or a record of another channel, is a thread of one.
 */
export async function threadOf(
  db: Db,
  interactionId: string,
): Promise<{ threadId: string | null; messages: ThreadMessage[]; truncated: boolean }> {
  const base = rowsAs<{ source: string; channel: string; thread_id: string | null }>(
    await db.$client.execute({
      sql: "SELECT source, channel, json_extract(channel_data, '$.threadId') AS thread_id FROM interactions WHERE id = ?",
      args: [interactionId],
    }),
  )[0];
  if (!base) throw notFound(`No interaction ${interactionId}.`);
  const threadId = base.channel === "email" ? base.thread_id : null;
  const rs = await db.$client.execute(
    threadId
      ? {
          sql: `${SELECT} WHERE source = ? AND json_extract(channel_data, '$.threadId') = ? AND channel = 'email'
                ORDER BY occurred_at, id LIMIT ?`,
          args: [base.source, threadId, MAX_THREAD_MESSAGES + 1],
        }
      : { sql: `${SELECT} WHERE id = ?`, args: [interactionId] },
  );
  const rows = rowsAs<Row>(rs);
  return {
    threadId,
    truncated: rows.length > MAX_THREAD_MESSAGES,
    messages: rows.slice(0, MAX_THREAD_MESSAGES).map((r) => ({
      id: r.id,
      externalId: r.external_id,
      occurredAt: new Date(Number(r.occurred_at)).toISOString(),
      subject: r.subject,
      from: r.from_address,
      direction: r.direction,
      text: r.text,
    })),
  };
}

const SELECT = `SELECT id, external_id, occurred_at, subject, text, json_extract(channel_data, '$.from') AS from_address,
  json_extract(channel_data, '$.direction') AS direction FROM interactions`;

interface Row {
  id: string;
  external_id: string;
  occurred_at: number;
  subject: string | null;
  text: string;
  from_address: string | null;
  direction: string | null;
}
