import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const verdictValues = ["confirmed", "false_alarm", "missed"] as const;
export type VerdictValue = (typeof verdictValues)[number];
export const verdictSubjects = ["moment", "interaction"] as const;
export type VerdictSubject = (typeof verdictSubjects)[number];

/**
 * An agent's verdict on a flag: a moment or an interaction was rightly flagged (confirmed), wrongly
 * (false_alarm), or an unflagged interaction should have been (missed). A later verdict by the same
 * person on the same subject supersedes theirs (`superseded_at` is set) and the history stays. The
 * flag as it was judged is copied in (risk, reasons, channel, severity, version), so quality and
 * calibration read verdicts alone, and a re-analysis cannot change what an agent was shown.
 */
export const verdicts = sqliteTable(
  "verdicts",
  {
    id: text().primaryKey(),
    subjectKind: text({ enum: verdictSubjects }).notNull(),
    subjectId: text().notNull(),
    /** Whose record the subject is: erasure removes their verdicts. */
    customerId: text().notNull(),
    verdict: text({ enum: verdictValues }).notNull(),
    /** One of the flag's own reason codes, when the agent named the one that was right or wrong. */
    reason: text(),
    /** Free text, masked like every stored free text. */
    note: text(),
    /** `user:<person id>`, or `key:<api key id>` for a system: one actor's verdicts replace each other. */
    actor: text().notNull(),
    /** The person's (or the key's) name when they gave it. */
    actorName: text().notNull(),
    via: text({ enum: ["api", "console"] }).notNull(),
    flagged: integer({ mode: "boolean" }).notNull(),
    risk: real().notNull(),
    /** The moment's severity; null for an interaction. */
    severity: text(),
    /** The interaction's channel, or the channel of the contact that triggered the moment. */
    channel: text(),
    reasonCodes: text({ mode: "json" }).$type<string[]>().notNull(),
    /** Each reason's weight in the flag (weight × strength), by code: calibration refits weights from them. */
    reasonWeights: text({ mode: "json" }).$type<Record<string, number>>(),
    /** When the flagged situation happened: an interaction's occurred_at, a moment's trigger_at (as the dashboard places moments). */
    flaggedAt: utcMillis().notNull(),
    /** What produced the flag: the moment rules' version, or the interaction's analysis version. */
    rulesVersion: text(),
    createdAt: createdAt(),
    supersededAt: utcMillis(),
  },
  (t) => [
    // One current verdict per person and subject; serves the supersede on every new verdict.
    uniqueIndex("verdicts_current_uq").on(t.subjectKind, t.subjectId, t.actor).where(sql`superseded_at IS NULL`),
    // Serves GET /v1/verdicts (time order) and the quality aggregates over a window.
    index("verdicts_created_idx").on(t.createdAt, t.id),
    // Serves GET /v1/quality: the verdicts on flags raised in a window.
    index("verdicts_flagged_idx").on(t.flaggedAt),
    // Serves a subject's history and erasure of a record's verdicts.
    index("verdicts_subject_idx").on(t.subjectId),
    // Serves erasure of a customer's verdicts.
    index("verdicts_customer_idx").on(t.customerId),
  ],
);
