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
	`reason_weights` text,
	`flagged_at` integer NOT NULL,
	`rules_version` text,
	`created_at` integer NOT NULL,
	`superseded_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `verdicts_current_uq` ON `verdicts` (`subject_kind`,`subject_id`,`actor`) WHERE superseded_at IS NULL;--> statement-breakpoint
CREATE INDEX `verdicts_created_idx` ON `verdicts` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `verdicts_flagged_idx` ON `verdicts` (`flagged_at`);--> statement-breakpoint
CREATE INDEX `verdicts_subject_idx` ON `verdicts` (`subject_id`);--> statement-breakpoint
CREATE INDEX `verdicts_customer_idx` ON `verdicts` (`customer_id`);--> statement-breakpoint
CREATE TABLE `calibration_audit` (
	`id` text PRIMARY KEY NOT NULL,
	`calibration_id` text,
	`action` text NOT NULL,
	`actor` text NOT NULL,
	`previous_id` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `calibration_audit_at_idx` ON `calibration_audit` (`at`);--> statement-breakpoint
CREATE TABLE `calibrations` (
	`id` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`status` text NOT NULL,
	`window_days` integer NOT NULL,
	`complaint` text,
	`moment_rules` text,
	`fit` text NOT NULL,
	`effect` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`activated_by` text,
	`activated_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calibrations_version_uq` ON `calibrations` (`version`);--> statement-breakpoint
CREATE INDEX `calibrations_status_idx` ON `calibrations` (`status`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`params` text NOT NULL,
	`cursor` integer DEFAULT 0 NOT NULL,
	`total` integer NOT NULL,
	`processed` integer DEFAULT 0 NOT NULL,
	`summary` text NOT NULL,
	`error` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `jobs_status_idx` ON `jobs` (`status`);