CREATE TABLE `merges` (
	`id` text PRIMARY KEY NOT NULL,
	`survivor_id` text NOT NULL,
	`merged_id` text NOT NULL,
	`rule` text NOT NULL,
	`evidence` text NOT NULL,
	`moved` text NOT NULL,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL,
	`undone_at` integer
);
--> statement-breakpoint
CREATE INDEX `merges_survivor_idx` ON `merges` (`survivor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `merges_merged_idx` ON `merges` (`merged_id`);--> statement-breakpoint
CREATE TABLE `identity_events` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`action` text NOT NULL,
	`rule` text,
	`details` text NOT NULL,
	`merge_id` text,
	`actor` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `identity_events_customer_idx` ON `identity_events` (`customer_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `customers` ADD `merged_into` text;