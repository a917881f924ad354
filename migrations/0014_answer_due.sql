ALTER TABLE `case_stats` ADD `inbox` text;--> statement-breakpoint
ALTER TABLE `case_stats` ADD `next_responses` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `client_wrote_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `nudged_at` integer;