-- Full-text search over interaction text (FTS5, Porter stemming), kept in step with the table by
-- triggers. External content: the index holds tokens only, the text stays in `interactions`.
CREATE VIRTUAL TABLE `interactions_fts` USING fts5(subject, text, content='interactions', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_insert` AFTER INSERT ON `interactions` BEGIN
  INSERT INTO interactions_fts(rowid, subject, text) VALUES (new.rowid, new.subject, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_delete` AFTER DELETE ON `interactions` BEGIN
  INSERT INTO interactions_fts(interactions_fts, rowid, subject, text) VALUES ('delete', old.rowid, old.subject, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `interactions_fts_update` AFTER UPDATE OF subject, text ON `interactions` BEGIN
  INSERT INTO interactions_fts(interactions_fts, rowid, subject, text) VALUES ('delete', old.rowid, old.subject, old.text);
  INSERT INTO interactions_fts(rowid, subject, text) VALUES (new.rowid, new.subject, new.text);
END;
--> statement-breakpoint
INSERT INTO interactions_fts(interactions_fts) VALUES ('rebuild');
