CREATE TABLE `bans` (
	`client_key` text PRIMARY KEY NOT NULL,
	`banned_at` integer NOT NULL,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `case_stats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`topic` text NOT NULL,
	`urgent` integer NOT NULL,
	`opened_at` integer NOT NULL,
	`taken_at` integer,
	`first_response_at` integer,
	`closed_at` integer,
	`referrals` text DEFAULT '[]' NOT NULL,
	`rating` integer
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_key` text NOT NULL,
	`stats_id` integer,
	`topic` text NOT NULL,
	`urgent` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`thread_id` integer,
	`card_message_id` integer,
	`consultant_id` integer,
	`specialty` text,
	`opened_at` integer NOT NULL,
	`queued_at` integer NOT NULL,
	`closed_at` integer,
	`reminded_at` integer,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`stats_id`) REFERENCES `case_stats`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `cases_status` ON `cases` (`status`,`queued_at`);--> statement-breakpoint
CREATE INDEX `cases_client` ON `cases` (`client_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_thread` ON `cases` (`thread_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `cases_one_open_per_client` ON `cases` (`client_key`) WHERE status <> 'closed';--> statement-breakpoint
CREATE TABLE `consultants` (
	`telegram_id` integer PRIMARY KEY NOT NULL,
	`alias` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `conversation_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`to_client` integer NOT NULL,
	`source_message_id` integer NOT NULL,
	`media_group_id` text,
	`reply_to_source_id` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_source` ON `outbox` (`case_id`,`to_client`,`source_message_id`);--> statement-breakpoint
CREATE TABLE `relay_messages` (
	`case_id` integer NOT NULL,
	`client_message_id` integer NOT NULL,
	`inbox_message_id` integer NOT NULL,
	`from_client` integer NOT NULL,
	PRIMARY KEY(`case_id`, `client_message_id`, `inbox_message_id`),
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `relay_inbox` ON `relay_messages` (`inbox_message_id`);