import type { TurnInput } from "../../contracts/interactions.js";
import { writeTransaction, type Db } from "../../db/client.js";
import { rowsAs } from "../../db/raw-rows.js";
import type { PreparedRecord } from "../ingest/records.js";
import type { ConversationDeps } from "./grow.js";

/** The interaction a conversation grows in; its later sessions (after a quiet-period close) are `#2`, `#3`, … */
export const conversationExternalId = (conversationId: string, session = 1) =>
  `conversation:${conversationId}${session > 1 ? `#${session}` : ""}`;

export interface ConversationChannelData {
  messageIds?: string[];
  /** While open: the latest turn's time, which the quiet-period sweep reads (a partial index holds it). */
  lastTurnAt?: string;
  closed?: boolean;
  closedAt?: string;
  closedBy?: "sender" | "quiet";
  [k: string]: unknown;
}

export interface Conversation {
  id: string;
  customerId: string;
  occurredAt: number;
  text: string;
  turns: TurnInput[];
  channelData: ConversationChannelData;
  sentimentScore: number | null;
  complaintRisk: number | null;
  flagged: boolean;
  /** The stored channel_data as read: the optimistic check of an update. */
  rawChannelData: string | null;
}

interface Row {
  id: string;
  customer_id: string;
  occurred_at: number;
  text: string;
  turns: string | null;
  channel_data: string | null;
  sentiment_score: number | null;
  complaint_risk: number | null;
  flagged: number;
}

export async function readConversation(db: Db, source: string, externalId: string): Promise<Conversation | undefined> {
  const rs = await db.$client.execute({
    sql: `SELECT id, customer_id, occurred_at, text, turns, channel_data, sentiment_score, complaint_risk, flagged
          FROM interactions WHERE source = ? AND external_id = ?`,
    args: [source, externalId],
  });
  const row = rowsAs<Row>(rs)[0];
  if (!row) return undefined;
  return {
    id: row.id,
    customerId: row.customer_id,
    occurredAt: Number(row.occurred_at),
    text: row.text,
    turns: row.turns ? JSON.parse(row.turns) : [],
    channelData: row.channel_data ? JSON.parse(row.channel_data) : {},
    sentimentScore: row.sentiment_score,
    complaintRisk: row.complaint_risk,
    flagged: !!row.flagged,
    rawChannelData: row.channel_data,
  };
}

/** Sessions of one conversation looked through; past it the last one grows (a chat reopened that often is one). */
const MAX_SESSIONS = 200;

/**
 * The session of a conversation a message goes to: the first that was not closed for quiet (or none
 * yet stored, with the externalId it will have). `holding` names a session that already holds the
 * message, so a redelivery of a message from a finished session is still `existing`.
 */
export async function latestSession(
  db: Db,
  source: string,
  conversationId: string,
  messageId?: string,
): Promise<{
  current?: Conversation;
  externalId: string;
  number: number;
  holding?: { id: string; customerId: string; externalId: string };
}> {
  for (let n = 1; ; n++) {
    const externalId = conversationExternalId(conversationId, n);
    const current = await readConversation(db, source, externalId);
    if (current && messageId !== undefined && current.channelData.messageIds?.includes(messageId))
      return {
        current,
        externalId,
        number: n,
        holding: { id: current.id, customerId: current.customerId, externalId },
      };
    if (current?.channelData.closedBy !== "quiet" || n >= MAX_SESSIONS) return { current, externalId, number: n };
  }
}

type InteractionRow = Extract<PreparedRecord, { kind: "interaction" }>["row"];

/**
 * Rewrites a stored conversation's row (turns, text, analysis, channel data) if nobody changed it
 * since it was read, and re-scores the customer's journey in the same transaction when `rescore`:
 * `false` when another writer got there first.
 */
export function rewriteConversation(
  deps: ConversationDeps,
  current: Conversation,
  row: InteractionRow,
  scoredAt: number,
  rescore: boolean,
): Promise<boolean> {
  return writeTransaction(deps.db, async (tx) => {
    const rs = await tx.execute({
      sql: `UPDATE interactions SET occurred_at = ?, text = ?, turns = ?, channel_data = ?, analysis = ?, analysis_version = ?, sentiment_score = ?,
              complaint_risk = ?, flagged = ?, need_ids = ?, topic_ids = ?
            WHERE id = ? AND channel_data IS ?`,
      args: [
        row.occurredAt.getTime(),
        row.text,
        JSON.stringify(row.turns),
        JSON.stringify(row.channelData),
        row.analysis,
        row.analysisVersion ?? null,
        row.sentimentScore ?? null,
        row.complaintRisk ?? null,
        row.flagged ? 1 : 0,
        row.needIds ?? null,
        row.topicIds ?? null,
        current.id,
        current.rawChannelData,
      ],
    });
    if (rs.rowsAffected === 0) return false;
    if (rescore)
      await deps.scorer.scoreInTransaction(tx, [
        {
          recordId: current.id,
          customerId: current.customerId,
          occurredAt: scoredAt,
          interaction: {
            id: current.id,
            channel: "chat",
            sentiment: row.sentimentScore ?? null,
            risk: row.complaintRisk ?? null,
            flagged: !!row.flagged,
          },
        },
      ]);
    return true;
  });
}

/** Rewrites only a conversation's channel data (a reopen), with the same optimistic check. */
export function rewriteChannelData(db: Db, current: Conversation, channelData: ConversationChannelData) {
  return writeTransaction(db, async (tx) => {
    const rs = await tx.execute({
      sql: "UPDATE interactions SET channel_data = ? WHERE id = ? AND channel_data IS ?",
      args: [JSON.stringify(channelData), current.id, current.rawChannelData],
    });
    return rs.rowsAffected > 0;
  });
}

/**
 * Open conversations whose latest turn is at or before `before`, oldest first, at most `limit`: the
 * quiet-period sweep's work. Served by interactions_open_conversation_idx (a partial index that holds
 * open conversations only).
 */
export async function quietConversations(
  db: Db,
  before: string,
  limit: number,
): Promise<Array<{ source: string; externalId: string; lastTurnAt: string }>> {
  const rs = await db.$client.execute({
    sql: `SELECT source, external_id, json_extract(channel_data, '$.lastTurnAt') AS last_turn_at FROM interactions
          WHERE json_extract(channel_data, '$.lastTurnAt') IS NOT NULL AND json_extract(channel_data, '$.lastTurnAt') <= ?
          ORDER BY json_extract(channel_data, '$.lastTurnAt') LIMIT ?`,
    args: [before, limit],
  });
  return rowsAs<{ source: string; external_id: string; last_turn_at: string }>(rs).map((r) => ({
    source: r.source,
    externalId: r.external_id,
    lastTurnAt: r.last_turn_at,
  }));
}
