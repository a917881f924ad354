CREATE TABLE `referral_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code` text NOT NULL,
	`type` text NOT NULL,
	`place` text,
	`source` text NOT NULL,
	`client_key` text,
	`case_id` integer,
	`issued_hour` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`redeemed_hour` integer,
	`outcome` text,
	`follow_up_lang` text,
	`remind_at` integer,
	`ask_at` integer,
	`follow_up_answer` text,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `referral_codes_code_unique` ON `referral_codes` (`code`);--> statement-breakpoint
CREATE INDEX `referral_codes_client` ON `referral_codes` (`client_key`);--> statement-breakpoint
CREATE INDEX `referral_codes_case` ON `referral_codes` (`case_id`);--> statement-breakpoint
CREATE INDEX `referral_codes_issued` ON `referral_codes` (`issued_hour`);