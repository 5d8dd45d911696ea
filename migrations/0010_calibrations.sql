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
ALTER TABLE `verdicts` ADD `reason_weights` text;