ALTER TABLE `cases` ADD `urgent_reason` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `calm_category` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `calm_until` integer;