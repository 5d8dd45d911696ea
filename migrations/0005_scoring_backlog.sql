CREATE TABLE `scoring_backlog` (
	`record_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL
);
