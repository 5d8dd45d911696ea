import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, utcMillis } from "./columns.js";
import { customers } from "./customers.js";

export const channels = ["chat", "email", "call_note", "social"] as const;
export type Channel = (typeof channels)[number];

export const interactions = sqliteTable(
  "interactions",
  {
    id: text().primaryKey(),
    source: text().notNull(),
    externalId: text().notNull(),
    channel: text({ enum: channels }).notNull(),
    customerId: text()
      .notNull()
      .references(() => customers.id, { onDelete: "cascade" }),
    occurredAt: utcMillis().notNull(),
    receivedAt: utcMillis().notNull(),
    subject: text(),
    /** The customer-facing text as stored (redacted when REDACT_PII is on). */
    text: text().notNull(),
    /** Speaker turns for chat and call transcripts, `[{speaker, text, at?}]`. */
    turns: text({ mode: "json" }).$type<Array<{ speaker: string; text: string; at?: string }>>(),
    /** Channel-specific fields (queue, wait seconds, email headers, platform, ...). */
    channelData: text({ mode: "json" }).$type<Record<string, unknown>>().notNull(),
    metadata: text({ mode: "json" }).$type<Record<string, unknown>>(),
    /** The analysis result packed into positional arrays (src/analysis/stored-form.ts; rows from before it hold the object). */
    analysis: text({ mode: "json" }).$type<unknown[] | Record<string, unknown>>(),
    analysisVersion: text(),
    // Denormalised from `analysis` so later filters (sentiment, flagged) are index-friendly.
    sentimentScore: real(),
    complaintRisk: real(),
    flagged: integer({ mode: "boolean" }).notNull().default(false),
    // The analysis's need and topic ids, comma-separated: journey scoring reads them for every stored
    // record, and parsing the analysis JSON for them in SQL cost as much as inserting the row.
    needIds: text(),
    topicIds: text(),
    /**
     * SHA-256 of the record as it was sent, normalised (src/services/ingest/content-hash.ts): a retry
     * with the same (source, externalId) and another body is a conflict. Null on rows stored before
     * the hash was kept, which are answered as "existing".
     */
    contentHash: text(),
    createdAt: createdAt(),
  },
  (t) => [
    // Idempotency: one row per posting system's id.
    uniqueIndex("interactions_source_external_id_uq").on(t.source, t.externalId),
    // Serves the customer timeline (customer, time order).
    index("interactions_customer_occurred_idx").on(t.customerId, t.occurredAt),
    // Serves time-window search across customers.
    index("interactions_occurred_idx").on(t.occurredAt),
    // Serves the quiet-period sweep (quietConversations in src/services/conversations/store.ts): only
    // open conversations carry lastTurnAt, so the index holds them and nothing else.
    index("interactions_open_conversation_idx")
      .on(sql`json_extract(${t.channelData}, '$.lastTurnAt')`)
      .where(sql`json_extract(${t.channelData}, '$.lastTurnAt') IS NOT NULL`),
    // Serves an email thread's messages and the join of replies stored before their parent
    // (src/services/email-threads.ts): emails with a thread only.
    index("interactions_email_thread_idx")
      .on(t.source, sql`json_extract(${t.channelData}, '$.threadId')`)
      .where(sql`json_extract(${t.channelData}, '$.threadId') IS NOT NULL`),
  ],
);

/**
 * Interactions stored but not yet in the full-text index (interactions_fts, migration 0001), by
 * rowid. Ingest only queues them here (an INSERT trigger); the search indexer adds them to the index in
 * bulk, behind the writes and before a search (src/services/search-indexer.ts): indexing one row per
 * commit wrote a new index segment each time, a third of a single-record write's pages.
 */
export const interactionsFtsPending = sqliteTable("interactions_fts_pending", {
  interactionRowid: integer().primaryKey(),
});
