ALTER TABLE `cases` ADD `client_wrote_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `nudged_at` integer;