CREATE TABLE `pickup_counts` (
	`pickup_key` text NOT NULL,
	`issued_on` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`pickup_key`, `issued_on`)
);
--> statement-breakpoint
CREATE INDEX `pickup_counts_day` ON `pickup_counts` (`issued_on`);--> statement-breakpoint
ALTER TABLE `cases` ADD `mac` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `mac` text;--> statement-breakpoint
ALTER TABLE `pending_deletions` ADD `mac` text;--> statement-breakpoint
-- hand-written: codes issued before expires_at was rounded kept the exact issue millisecond in it;
-- round it up to the hour (never shortening a code's validity), as issued_hour is rounded down.
UPDATE `referral_codes` SET `expires_at` = ((`expires_at` + 3599999) / 3600000) * 3600000 WHERE `expires_at` % 3600000 <> 0;
