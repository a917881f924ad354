DROP INDEX `cases_thread`;--> statement-breakpoint
ALTER TABLE `cases` ADD `inbox` text DEFAULT 'main' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `region` text;--> statement-breakpoint
CREATE UNIQUE INDEX `cases_inbox_thread` ON `cases` (`inbox`,`thread_id`);