CREATE TABLE `chat_traces` (
	`client_key` text NOT NULL,
	`message_id` integer NOT NULL,
	`sent_hour` integer NOT NULL,
	PRIMARY KEY(`client_key`, `message_id`)
);
--> statement-breakpoint
CREATE INDEX `chat_traces_hour` ON `chat_traces` (`sent_hour`);--> statement-breakpoint
CREATE TABLE `pending_deletions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_ref` text NOT NULL,
	`thread_id` integer,
	`message_id` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `client_thread_id` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `reminder_message_id` integer;