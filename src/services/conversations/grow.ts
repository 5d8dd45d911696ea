import type { CustomerRef } from "../../contracts/common.js";
import type { TurnInput } from "../../contracts/interactions.js";
import type { Db } from "../../db/client.js";
import type { FieldError } from "../../lib/field-errors.js";
import type { IngestService } from "../ingest/ingest-service.js";
import type { MomentScorer } from "../moments/scoring.js";
import { latestSession, readConversation, rewriteChannelData, rewriteConversation } from "./store.js";

export { conversationExternalId } from "./store.js";

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

/** Where a turn at `at` goes: after every turn at or before it, so equal times keep arrival order. */
function insertAt(turns: TurnInput[], at: string): number {
  const t = Date.parse(at);
  let i = turns.length;
  while (i > 0 && turns[i - 1].at !== undefined && Date.parse(turns[i - 1].at!) > t) i--;
  return i;
}

/** The latest time among the turns: an open conversation's quiet period runs from it. */
export function lastTurnAt(turns: TurnInput[], fallback: string): string {
  let max = Number.NEGATIVE_INFINITY;
  for (const t of turns) if (t.at !== undefined) max = Math.max(max, Date.parse(t.at));
  return new Date(Number.isFinite(max) ? max : Date.parse(fallback)).toISOString();
}

/** Retries of an append that lost a race with another append to the same conversation. */
const MAX_ATTEMPTS = 5;

/**
 * Appends a message to its conversation: one chat interaction whose turns grow, in order of time even
 * when messages arrive out of order, idempotent per message id. The whole conversation is analysed
 * again and its row rewritten, and the customer's journey re-scored in the same transaction, so its
 * moment follows the conversation. Two appends racing on one conversation are serialised by an
 * optimistic check on the row (the loser reads it again and retries).
 *
 * A conversation closed after its quiet period is final: a later message starts its next session, a
 * chat of its own (`conversation:<id>#2`). One the sender closed takes no turn until the sender reopens it.
 */
export async function appendMessage(deps: ConversationDeps, m: ChatMessage): Promise<AppendResult> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const session = await latestSession(deps.db, m.source, m.conversationId, m.messageId);
    const { current, externalId } = session;
    if (session.holding)
      return {
        status: "existing",
        id: session.holding.id,
        customerId: session.holding.customerId,
        externalId: session.holding.externalId,
      };
    if (current?.channelData.closed) return { status: "closed", externalId, id: current.id };
    const ids = current?.channelData.messageIds ?? [];
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
    record.row.channelData = {
      ...current?.channelData,
      ...(record.row.channelData ?? {}),
      messageIds,
      lastTurnAt: lastTurnAt(turns, m.at),
      ...(session.number > 1 ? { session: session.number } : {}),
    };
    if (!current) {
      const [stored] = await deps.ingest.writePrepared([record]);
      if (stored.created) return { status: "created", id: stored.id, customerId: stored.customerId, externalId };
      continue;
    }
    if (await rewriteConversation(deps, current, record.row, Date.parse(m.at), true))
      return { status: "appended", id: current.id, customerId: current.customerId, externalId };
  }
  throw new Error(`conversation ${m.conversationId} changed under ${MAX_ATTEMPTS} appends in a row`);
}

/** Why a conversation was finalised: the sender closed it, or nothing was said for the quiet period. */
export type CloseReason = "sender" | "quiet";

/**
 * Finalises a conversation: its turns are analysed once more (with the calibration now in force) and
 * the row records when and why it closed. The optimistic check makes a close that races an append
 * lose (`false`): the conversation has just had a turn and stays open.
 */
export async function closeConversation(
  deps: ConversationDeps,
  source: string,
  externalId: string,
  reason: CloseReason,
  at: string,
): Promise<boolean> {
  const current = await readConversation(deps.db, source, externalId);
  if (!current || current.channelData.closed) return false;
  const prepared = await deps.ingest.prepareInteraction(
    {
      source,
      externalId,
      occurredAt: new Date(current.occurredAt).toISOString(),
      channel: "chat",
      turns: current.turns,
    },
    { linked: true },
  );
  if (!prepared.ok) return false;
  const row = prepared.record.row;
  const { lastTurnAt: quietSince, ...kept } = current.channelData;
  row.channelData = {
    ...kept,
    closed: true,
    closedAt: at,
    closedBy: reason,
    ...(reason === "quiet" && quietSince ? { quietSince } : {}),
  };
  const changed =
    row.sentimentScore !== current.sentimentScore ||
    row.complaintRisk !== current.complaintRisk ||
    !!row.flagged !== current.flagged;
  return rewriteConversation(deps, current, row, Date.parse(quietSince ?? at), changed);
}

/**
 * The sender closed or reopened a conversation. Closing finalises its latest session; reopening lets
 * that session grow again (one closed for quiet is final: the next message starts a new session).
 */
export async function setConversationClosed(
  deps: ConversationDeps,
  source: string,
  conversationId: string,
  closed: boolean,
  at: string,
): Promise<boolean> {
  const { current, externalId } = await latestSession(deps.db, source, conversationId);
  if (!current) return false;
  if (closed) return closeConversation(deps, source, externalId, "sender", at);
  if (!current.channelData.closed || current.channelData.closedBy === "quiet") return false;
  const { closed: _closed, closedAt: _closedAt, closedBy: _closedBy, ...open } = current.channelData;
  // The quiet period of a reopened conversation runs from the reopening.
  return rewriteChannelData(deps.db, current, { ...open, lastTurnAt: at });
}
