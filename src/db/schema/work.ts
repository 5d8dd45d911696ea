import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

/** Who belongs to which team: the queue's "my team" view reads it. */
export const teamMembers = sqliteTable(
  "team_members",
  {
    team: text().notNull(),
    personId: text().notNull(),
    personName: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.team, t.personId] }),
    // Serves "the teams of this person" on every team view.
    index("team_members_person_idx").on(t.personId),
  ],
);

/**
 * Pairs of customers an unmerge separated (ids in sorted order): ingest does not merge them again on
 * shared identifiers, it records an identity conflict instead.
 */
export const mergeBlocks = sqliteTable(
  "merge_blocks",
  {
    customerA: text().notNull(),
    customerB: text().notNull(),
    mergeId: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.customerA, t.customerB] }), index("merge_blocks_b_idx").on(t.customerB)],
);

export const conflictStatuses = ["open", "dismissed", "merged"] as const;

/** A record whose identifiers named customers an unmerge had separated: for a person to review. */
export const identityConflicts = sqliteTable(
  "identity_conflicts",
  {
    id: text().primaryKey(),
    /** The customer the record was linked to, and the one it was not merged with. */
    customerId: text().notNull(),
    otherId: text().notNull(),
    /** The identifiers and the record (scrubbed on erasure, with the rest of the customer). */
    evidence: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    status: text({ enum: conflictStatuses }).notNull(),
    reviewedBy: text(),
    reviewedAt: utcMillis(),
    createdAt: createdAt(),
  },
  (t) => [
    // Serves GET /v1/identity-conflicts (open ones, newest first).
    index("identity_conflicts_status_idx").on(t.status, t.createdAt),
    index("identity_conflicts_customer_idx").on(t.customerId),
    index("identity_conflicts_other_idx").on(t.otherId),
  ],
);
