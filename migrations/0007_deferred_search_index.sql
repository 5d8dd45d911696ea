CREATE TABLE `interactions_fts_pending` (
	`interaction_rowid` integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
-- Ingest queues new interactions for the full-text index instead of indexing each in its own commit
-- (a new FTS segment per single-record write, a third of its pages); the search indexer adds queued
-- rows in bulk behind the writes, and before any search (src/services/search-indexer.ts).
DROP TRIGGER `interactions_fts_insert`;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_insert` AFTER INSERT ON `interactions` BEGIN
  INSERT INTO interactions_fts_pending(interaction_rowid) VALUES (new.rowid);
END;
--> statement-breakpoint
-- Deleting a rowid the index never held is harmless with contentless_delete.
DROP TRIGGER `interactions_fts_delete`;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_delete` AFTER DELETE ON `interactions` BEGIN
  DELETE FROM interactions_fts WHERE rowid = old.rowid;
  DELETE FROM interactions_fts_pending WHERE interaction_rowid = old.rowid;
END;
--> statement-breakpoint
-- A queued row is indexed with whatever text it has when the indexer reaches it.
DROP TRIGGER `interactions_fts_update`;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_update` AFTER UPDATE OF subject, text, occurred_at ON `interactions`
  WHEN NOT EXISTS (SELECT 1 FROM interactions_fts_pending WHERE interaction_rowid = old.rowid) BEGIN
  DELETE FROM interactions_fts WHERE rowid = old.rowid;
  INSERT INTO interactions_fts(rowid, subject, text, bucket) VALUES (new.rowid, new.subject, new.text,
    'h' || strftime('%Y%m%d%H', new.occurred_at / 1000, 'unixepoch') || ' d' || strftime('%Y%m%d', new.occurred_at / 1000, 'unixepoch'));
END;
