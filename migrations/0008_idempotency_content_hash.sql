ALTER TABLE `interactions` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `journey_events` ADD `content_hash` text;