CREATE TABLE `customers` (
	`id` text PRIMARY KEY NOT NULL,
	`display_name` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `identities` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_id` text NOT NULL,
	`kind` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identities_kind_value_uq` ON `identities` (`kind`,`value`);--> statement-breakpoint
CREATE INDEX `identities_customer_idx` ON `identities` (`customer_id`);--> statement-breakpoint
CREATE TABLE `interactions` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`external_id` text NOT NULL,
	`channel` text NOT NULL,
	`customer_id` text NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`subject` text,
	`text` text NOT NULL,
	`turns` text,
	`channel_data` text NOT NULL,
	`metadata` text,
	`analysis` text,
	`analysis_version` text,
	`sentiment_score` real,
	`complaint_risk` real,
	`flagged` integer DEFAULT false NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interactions_source_external_id_uq` ON `interactions` (`source`,`external_id`);--> statement-breakpoint
CREATE INDEX `interactions_customer_occurred_idx` ON `interactions` (`customer_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `interactions_occurred_idx` ON `interactions` (`occurred_at`);--> statement-breakpoint
CREATE TABLE `journey_events` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`external_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`type` text NOT NULL,
	`name` text,
	`status` text,
	`amount` real,
	`currency` text,
	`occurred_at` integer NOT NULL,
	`received_at` integer NOT NULL,
	`attributes` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`customer_id`) REFERENCES `customers`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journey_events_source_external_id_uq` ON `journey_events` (`source`,`external_id`);--> statement-breakpoint
CREATE INDEX `journey_events_customer_occurred_idx` ON `journey_events` (`customer_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `journey_events_occurred_idx` ON `journey_events` (`occurred_at`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`prefix` text NOT NULL,
	`hash` text NOT NULL,
	`scopes` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash_uq` ON `api_keys` (`hash`);