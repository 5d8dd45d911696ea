import { index, sqliteTable, text, uniqueIndex, integer } from "drizzle-orm/sqlite-core";
import type { MomentRules } from "../../journeys/journey-risk.js";
import type { ProbabilityMap } from "../../calibration/probability.js";
import { createdAt, utcMillis } from "./columns.js";

export const calibrationStatuses = ["proposed", "active", "retired"] as const;

/** What a calibration sets for interactions: the probability map of a complaint risk and the flag threshold on it. */
export interface ComplaintCalibration {
  map: ProbabilityMap;
  threshold: number;
}

/**
 * A deployment's calibration, fitted from agents' verdicts: a proposal until an admin activates it;
 * then the configuration flags are raised with (one active at a time), `retired` once another
 * replaces it. Either part may be null: too few verdicts of that kind, and what is in force stays.
 */
export const calibrations = sqliteTable(
  "calibrations",
  {
    id: text().primaryKey(),
    /** `c1`, `c2`, …: what stored analyses and moments name as their calibration. */
    version: text().notNull(),
    status: text({ enum: calibrationStatuses }).notNull(),
    windowDays: integer().notNull(),
    complaint: text({ mode: "json" }).$type<ComplaintCalibration>(),
    /** Moment rules in the format of lexicons/moments.json, validated by the same schema. */
    momentRules: text({ mode: "json" }).$type<MomentRules>(),
    /** The fit: verdict counts, both probability methods measured, why each part was or was not fitted. */
    fit: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The proposal's effect on the window it was fitted on. */
    effect: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdBy: text().notNull(),
    createdAt: createdAt(),
    activatedBy: text(),
    activatedAt: utcMillis(),
  },
  (t) => [
    uniqueIndex("calibrations_version_uq").on(t.version),
    // Serves "the active calibration", read by every process when it polls.
    index("calibrations_status_idx").on(t.status),
  ],
);

/** Every proposal, activation and rollback: who, when, from which version to which. */
export const calibrationAudit = sqliteTable(
  "calibration_audit",
  {
    id: text().primaryKey(),
    /** The calibration acted on; null when a rollback returned to the shipped rules. */
    calibrationId: text(),
    action: text({ enum: ["proposed", "activated", "rolled_back"] }).notNull(),
    actor: text().notNull(),
    /** The calibration in force before the action (null: the shipped rules). */
    previousId: text(),
    at: utcMillis().notNull(),
  },
  // Serves a calibration's audit trail, and the rollback's "what was in force before".
  (t) => [index("calibration_audit_at_idx").on(t.at)],
);
