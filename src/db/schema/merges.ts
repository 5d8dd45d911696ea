import { index, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

/** What a merge moved from the merged customer to the survivor, so an unmerge can move exactly that back. */
export interface MergeSnapshot {
  identities: string[];
  interactions: string[];
  events: string[];
  /** The customers' live moments folded into one (src/services/moments/merge-moments.ts). */
  moments?: {
    target: string;
    before: Record<string, string | number | null>;
    moved: string[];
    folded: string[];
  } | null;
}

export const merges = sqliteTable(
  "merges",
  {
    id: text().primaryKey(),
    survivorId: text().notNull(),
    mergedId: text().notNull(),
    /** Which rule merged them: "shared identifiers" (automatic) or "manual". */
    rule: text().notNull(),
    /** Identifiers and the record that brought them together (scrubbed on erasure). */
    evidence: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    moved: text({ mode: "json" }).$type<MergeSnapshot>().notNull(),
    actor: text().notNull(),
    createdAt: createdAt(),
    undoneAt: utcMillis(),
  },
  (t) => [
    // Serves "the latest merge into this customer" (unmerge) and history.
    index("merges_survivor_idx").on(t.survivorId, t.createdAt),
    index("merges_merged_idx").on(t.mergedId),
  ],
);
