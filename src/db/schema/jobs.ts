import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";

export const jobStatuses = ["queued", "running", "done", "failed"] as const;

/**
 * Background jobs (re-analysis). A job's position (`cursor`, the last interaction rowid done) and its
 * tallies are written in the same transaction as the records each page changes, so a job stopped at
 * any instant resumes where its last commit left it: no record done twice, none skipped.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text().primaryKey(),
    kind: text({ enum: ["reanalysis"] }).notNull(),
    status: text({ enum: jobStatuses }).notNull(),
    params: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    cursor: integer().notNull().default(0),
    total: integer().notNull(),
    processed: integer().notNull().default(0),
    summary: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    error: text(),
    createdBy: text().notNull(),
    createdAt: createdAt(),
    startedAt: utcMillis(),
    updatedAt: utcMillis().notNull(),
    finishedAt: utcMillis(),
  },
  // Serves "the unfinished jobs" at start-up.
  (t) => [index("jobs_status_idx").on(t.status)],
);
