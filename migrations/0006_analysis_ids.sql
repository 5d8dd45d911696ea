ALTER TABLE `interactions` ADD `need_ids` text;--> statement-breakpoint
ALTER TABLE `interactions` ADD `topic_ids` text;--> statement-breakpoint
-- Back-fill from the stored analyses (hand-written: drizzle-kit generates schema changes only).
UPDATE `interactions` SET
  `need_ids` = (SELECT group_concat(json_extract(value, '$.id')) FROM json_each(analysis, '$.needs')),
  `topic_ids` = (SELECT group_concat(json_extract(value, '$.id')) FROM json_each(analysis, '$.topics'))
WHERE analysis IS NOT NULL;
