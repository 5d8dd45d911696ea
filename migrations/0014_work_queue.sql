CREATE TABLE `identity_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`other_id` text NOT NULL,
	`evidence` text NOT NULL,
	`status` text NOT NULL,
	`reviewed_by` text,
	`reviewed_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `identity_conflicts_status_idx` ON `identity_conflicts` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `identity_conflicts_customer_idx` ON `identity_conflicts` (`customer_id`);--> statement-breakpoint
CREATE INDEX `identity_conflicts_other_idx` ON `identity_conflicts` (`other_id`);--> statement-breakpoint
CREATE TABLE `merge_blocks` (
	`customer_a` text NOT NULL,
	`customer_b` text NOT NULL,
	`merge_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`customer_a`, `customer_b`)
);
--> statement-breakpoint
CREATE INDEX `merge_blocks_b_idx` ON `merge_blocks` (`customer_b`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`team` text NOT NULL,
	`person_id` text NOT NULL,
	`person_name` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team`, `person_id`)
);
--> statement-breakpoint
CREATE INDEX `team_members_person_idx` ON `team_members` (`person_id`);--> statement-breakpoint
ALTER TABLE `moments` ADD `assignee_id` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `assignee_name` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `team` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `assigned_at` integer;--> statement-breakpoint
ALTER TABLE `moments` ADD `assigned_by` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `snoozed_until` integer;--> statement-breakpoint
ALTER TABLE `moments` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `moments` ADD `closed_reason` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `opened_at` integer;--> statement-breakpoint
ALTER TABLE `moments` ADD `signal_at` integer;--> statement-breakpoint
ALTER TABLE `moments` ADD `channels` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `needs` text;--> statement-breakpoint
ALTER TABLE `moments` ADD `merged_into` text;--> statement-breakpoint
CREATE INDEX `moments_assignee_idx` ON `moments` (`assignee_id`,`status`);--> statement-breakpoint
CREATE INDEX `moments_team_idx` ON `moments` (`team`,`status`);--> statement-breakpoint
CREATE INDEX `moments_status_signal_idx` ON `moments` (`status`,`signal_at`);--> statement-breakpoint
ALTER TABLE `webhooks` ADD `format` text DEFAULT 'standard' NOT NULL;--> statement-breakpoint
UPDATE `moments` SET `opened_at` = `created_at`, `signal_at` = `updated_at`;