CREATE TABLE `job_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `publications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`post_slug` text NOT NULL,
	`occurrence` integer NOT NULL,
	`channel` text NOT NULL,
	`status` text NOT NULL,
	`chat_id` text,
	`message_ids` text DEFAULT '[]' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`error` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `publications_occurrence_unique` ON `publications` (`post_slug`,`occurrence`,`channel`);