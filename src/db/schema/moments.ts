import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

/** `closed`: closed by the quiet-period sweep (no new signal); a new signal re-opens it. */
export const momentStatuses = ["open", "acknowledged", "resolved", "closed"] as const;
export const severities = ["low", "medium", "high", "critical"] as const;

/** A complaint-risk moment on a customer's journey, with its reasons and lifecycle. */
export const moments = sqliteTable(
  "moments",
  {
    id: text().primaryKey(),
    customerId: text().notNull(),
    status: text({ enum: momentStatuses }).notNull(),
    severity: text({ enum: severities }).notNull(),
    risk: real().notNull(),
    /** `[{code, text, weight, refs}]`: each reason with the interactions and events behind it. */
    reasons: text({ mode: "json" })
      .$type<Array<{ code: string; text: string; weight: number; refs: string[] }>>()
      .notNull(),
    /** The latest journey item the score was computed at. */
    triggerId: text().notNull(),
    triggerAt: utcMillis().notNull(),
    rulesVersion: text().notNull(),
    /** Who acknowledged: `user:<id>` for a person, `key:<id>` for a system. */
    acknowledgedBy: text(),
    /** Their name when they acknowledged. */
    acknowledgedByName: text(),
    acknowledgedAt: utcMillis(),
    resolvedBy: text(),
    resolvedByName: text(),
    resolvedAt: utcMillis(),
    /** The person working the moment (a person id and the name shown), or only a team. */
    assigneeId: text(),
    assigneeName: text(),
    team: text(),
    assignedAt: utcMillis(),
    assignedBy: text(),
    /** Hidden from the queue views until then; a new signal wakes it. */
    snoozedUntil: utcMillis(),
    /** Why and when it closed: `quiet` (the sweep, no new signal for the quiet period). */
    closedAt: utcMillis(),
    closedReason: text(),
    /** When the current wait began: creation, or the latest re-open. Time to acknowledge counts from it. */
    openedAt: utcMillis(),
    /** When a flagged signal last arrived (processing time): the quiet period counts from it. */
    signalAt: utcMillis(),
    /** Channels and needs of the interactions behind the reasons, comma-separated (queue filters). */
    channels: text(),
    needs: text(),
    /** Set when a customer merge folded this moment into another one; unmerge clears it. */
    mergedInto: text(),
    createdAt: createdAt(),
    updatedAt: utcMillis().notNull(),
  },
  (t) => [
    // Serves GET /v1/moments (status, time order).
    index("moments_status_created_idx").on(t.status, t.createdAt),
    // Serves "the customer's open moment" when re-scoring, and moments on the timeline.
    index("moments_customer_trigger_idx").on(t.customerId, t.triggerAt),
    // Serves the console dashboard's moments in a time window.
    index("moments_trigger_idx").on(t.triggerAt),
    // Serves the queue's "mine" view.
    index("moments_assignee_idx").on(t.assigneeId, t.status),
    // Serves the queue's team view.
    index("moments_team_idx").on(t.team, t.status),
    // Serves the quiet-period sweep: live moments by their last signal.
    index("moments_status_signal_idx").on(t.status, t.signalAt),
  ],
);

/** Append-only log of moment changes: the SSE stream resumes from its ids (Last-Event-ID). */
export const momentEvents = sqliteTable("moment_events", {
  seq: integer().primaryKey({ autoIncrement: true }),
  momentId: text().notNull(),
  type: text().notNull(),
  payload: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

/**
 * Records committed by ingest whose moment scoring is still owed. Ingest scores records in the
 * transaction that stores them; when that scoring fails, its changes are undone and the records are
 * added here in the same transaction instead. A later scoring deletes them in the transaction that
 * applies the scores; whatever is left at start-up is scored then. So no committed record misses its
 * evaluation.
 */
export const scoringBacklog = sqliteTable("scoring_backlog", {
  recordId: text().primaryKey(),
  kind: text({ enum: ["interaction", "event"] }).notNull(),
  createdAt: createdAt(),
});
