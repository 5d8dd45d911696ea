-- Full-text search over interaction text (FTS5, Porter stemming), kept in step by triggers.
-- Contentless (the index holds tokens, not a second copy of the text) with contentless_delete so
-- erasure can remove rows. Each row also indexes its hour and day as tokens ("h2026031510 d20260315"):
-- a search in a time window ANDs the window's buckets into the query, so FTS intersects a small
-- doclist instead of returning every match in the corpus.
CREATE VIRTUAL TABLE `interactions_fts` USING fts5(subject, text, bucket, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_insert` AFTER INSERT ON `interactions` BEGIN
  INSERT INTO interactions_fts(rowid, subject, text, bucket) VALUES (new.rowid, new.subject, new.text,
    'h' || strftime('%Y%m%d%H', new.occurred_at / 1000, 'unixepoch') || ' d' || strftime('%Y%m%d', new.occurred_at / 1000, 'unixepoch'));
END;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_delete` AFTER DELETE ON `interactions` BEGIN
  DELETE FROM interactions_fts WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_update` AFTER UPDATE OF subject, text, occurred_at ON `interactions` BEGIN
  DELETE FROM interactions_fts WHERE rowid = old.rowid;
  INSERT INTO interactions_fts(rowid, subject, text, bucket) VALUES (new.rowid, new.subject, new.text,
    'h' || strftime('%Y%m%d%H', new.occurred_at / 1000, 'unixepoch') || ' d' || strftime('%Y%m%d', new.occurred_at / 1000, 'unixepoch'));
END;
--> statement-breakpoint
INSERT INTO interactions_fts(rowid, subject, text, bucket)
  SELECT rowid, subject, text, 'h' || strftime('%Y%m%d%H', occurred_at / 1000, 'unixepoch') || ' d' || strftime('%Y%m%d', occurred_at / 1000, 'unixepoch') FROM interactions;
