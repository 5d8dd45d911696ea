CREATE TABLE `verdicts` (
	`id` text PRIMARY KEY NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`verdict` text NOT NULL,
	`reason` text,
	`note` text,
	`actor` text NOT NULL,
	`actor_name` text NOT NULL,
	`via` text NOT NULL,
	`flagged` integer NOT NULL,
	`risk` real NOT NULL,
	`severity` text,
	`channel` text,
	`reason_codes` text NOT NULL,
	`flagged_at` integer NOT NULL,
	`rules_version` text,
	`created_at` integer NOT NULL,
	`superseded_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verdicts_current_uq` ON `verdicts` (`subject_kind`,`subject_id`,`actor`) WHERE superseded_at IS NULL;--> statement-breakpoint
CREATE INDEX `verdicts_created_idx` ON `verdicts` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `verdicts_subject_idx` ON `verdicts` (`subject_id`);--> statement-breakpoint
CREATE INDEX `verdicts_customer_idx` ON `verdicts` (`customer_id`);