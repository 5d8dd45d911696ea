import type { CustomerRef } from "../../contracts/common.js";
import type { TurnInput } from "../../contracts/interactions.js";
import { writeTransaction, type Db } from "../../db/client.js";
import { rowsAs } from "../../db/raw-rows.js";
import type { FieldError } from "../../lib/field-errors.js";
import type { IngestService } from "../ingest/ingest-service.js";
import type { MomentScorer } from "../moments/scoring.js";

/** One message of a chat that a sender delivers on its own. */
export interface ChatMessage {
  source: string;
  conversationId: string;
  messageId: string;
  at: string;
  speaker: TurnInput["speaker"];
  text: string;
  customer?: CustomerRef;
  agentId?: string;
  metadata?: Record<string, unknown>;
}

export type AppendResult =
  | { status: "created" | "appended" | "existing"; id: string; customerId: string; externalId: string }
  | { status: "invalid"; externalId: string; errors: FieldError[] }
  | { status: "closed"; externalId: string; id: string };

export interface ConversationDeps {
  db: Db;
  ingest: IngestService;
  scorer: MomentScorer;
}

/** The interaction a conversation grows in. */
export const conversationExternalId = (conversationId: string) => `conversation:${conversationId}`;

interface StoredConversation {
  id: string;
  customer_id: string;
  turns: string | null;
  channel_data: string | null;
}

interface Conversation {
  id: string;
  customerId: string;
  turns: TurnInput[];
  channelData: { messageIds?: string[]; closed?: boolean; closedAt?: string; [k: string]: unknown };
  /** The stored channel_data as read: the optimistic check of the update. */
  rawChannelData: string | null;
}

async function readConversation(db: Db, source: string, externalId: string): Promise<Conversation | undefined> {
  const rs = await db.$client.execute({
    sql: "SELECT id, customer_id, turns, channel_data FROM interactions WHERE source = ? AND external_id = ?",
    args: [source, externalId],
  });
  const row = rowsAs<StoredConversation>(rs)[0];
  if (!row) return undefined;
  return {
    id: row.id,
    customerId: row.customer_id,
    turns: row.turns ? JSON.parse(row.turns) : [],
    channelData: row.channel_data ? JSON.parse(row.channel_data) : {},
    rawChannelData: row.channel_data,
  };
}

/** Where a turn at `at` goes: after every turn at or before it, so equal times keep arrival order. */
function insertAt(turns: TurnInput[], at: string): number {
  const t = Date.parse(at);
  let i = turns.length;
  while (i > 0 && turns[i - 1].at !== undefined && Date.parse(turns[i - 1].at!) > t) i--;
  return i;
}

/** Retries of an append that lost a race with another append to the same conversation. */
const MAX_ATTEMPTS = 5;

/**
 * Appends a message to its conversation: one chat interaction whose turns grow, in order of time even
 * when messages arrive out of order, idempotent per message id. The whole conversation is analysed
 * again and its row rewritten, and the customer's journey re-scored in the same transaction, so its
 * moment follows the conversation. Two appends racing on one conversation are serialised by an
 * optimistic check on the row (the loser reads it again and retries).
 */
export async function appendMessage(deps: ConversationDeps, m: ChatMessage): Promise<AppendResult> {
  const externalId = conversationExternalId(m.conversationId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await readConversation(deps.db, m.source, externalId);
    const ids = current?.channelData.messageIds ?? [];
    if (current && ids.includes(m.messageId))
      return { status: "existing", id: current.id, customerId: current.customerId, externalId };
    if (current?.channelData.closed) return { status: "closed", externalId, id: current.id };
    const turns = current ? current.turns.slice() : [];
    const at = insertAt(turns, m.at);
    turns.splice(at, 0, { speaker: m.speaker, text: m.text, at: m.at });
    const messageIds = ids.slice();
    messageIds.splice(at, 0, m.messageId);
    const prepared = await deps.ingest.prepareInteraction({
      source: m.source,
      externalId,
      occurredAt: turns[0].at ?? m.at,
      channel: "chat",
      turns,
      ...(m.customer ? { customer: m.customer } : {}),
      ...(m.agentId ? { session: { agentId: m.agentId } } : {}),
      ...(m.metadata ? { metadata: m.metadata } : {}),
    });
    if (!prepared.ok) return { status: "invalid", externalId, errors: prepared.errors };
    const record = prepared.record;
    record.row.channelData = { ...current?.channelData, ...(record.row.channelData ?? {}), messageIds };
    if (!current) {
      const [stored] = await deps.ingest.writePrepared([record]);
      if (stored.created) return { status: "created", id: stored.id, customerId: stored.customerId, externalId };
      continue;
    }
    const updated = await writeTransaction(deps.db, async (tx) => {
      const row = record.row;
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
      await deps.scorer.scoreInTransaction(tx, [
        {
          recordId: current.id,
          customerId: current.customerId,
          occurredAt: Date.parse(m.at),
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
    if (updated) return { status: "appended", id: current.id, customerId: current.customerId, externalId };
  }
  throw new Error(`conversation ${externalId} changed under ${MAX_ATTEMPTS} appends in a row`);
}

/** Finalises a conversation (the sender resolved it): later messages add no turns until it is reopened. */
export async function setConversationClosed(
  db: Db,
  source: string,
  conversationId: string,
  closed: boolean,
  at: string,
): Promise<boolean> {
  return writeTransaction(db, async (tx) => {
    const rs = await tx.execute({
      sql: `UPDATE interactions SET channel_data = json_set(coalesce(channel_data, '{}'), '$.closed', json(?), '$.closedAt', ?) WHERE source = ? AND external_id = ?`,
      args: [closed ? "true" : "false", closed ? at : null, source, conversationExternalId(conversationId)],
    });
    return rs.rowsAffected > 0;
  });
}
