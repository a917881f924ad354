DROP INDEX `cases_inbox_thread`;--> statement-breakpoint
ALTER TABLE `cases` ADD `team_chat_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `cases_chat_thread` ON `cases` (`team_chat_id`,`thread_id`);--> statement-breakpoint
DROP INDEX `outbox_source`;--> statement-breakpoint
ALTER TABLE `outbox` ADD `source_chat_id` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_source_client` ON `outbox` (`case_id`,`source_message_id`) WHERE to_client = 0;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_source_team` ON `outbox` (`case_id`,`source_chat_id`,`source_message_id`) WHERE to_client = 1;--> statement-breakpoint
DROP INDEX `relay_inbox`;--> statement-breakpoint
ALTER TABLE `relay_messages` ADD `team_chat_id` integer;--> statement-breakpoint
CREATE INDEX `relay_chat_message` ON `relay_messages` (`team_chat_id`,`inbox_message_id`);