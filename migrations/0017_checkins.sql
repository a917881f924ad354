CREATE TABLE `buddies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_key` text NOT NULL,
	`token_hash` text,
	`token_expires_at` integer,
	`buddy_key` text,
	`buddy_chat_ref` text,
	`buddy_language` text,
	`paired_on` text,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `buddies_client_key_unique` ON `buddies` (`client_key`);--> statement-breakpoint
CREATE UNIQUE INDEX `buddies_token_hash_unique` ON `buddies` (`token_hash`);--> statement-breakpoint
CREATE INDEX `buddies_buddy` ON `buddies` (`buddy_key`);--> statement-breakpoint
CREATE TABLE `checkins` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`client_key` text NOT NULL,
	`state` text NOT NULL,
	`minutes` integer NOT NULL,
	`due_at` integer,
	`with_buddy` integer DEFAULT false NOT NULL,
	`with_team` integer DEFAULT false NOT NULL,
	`sealed_plan` text,
	`language` text NOT NULL,
	`buddy_alerted` integer DEFAULT false NOT NULL,
	`buddy_alert_message_id` integer,
	`case_id` integer,
	`end_reason` text,
	`step` integer DEFAULT 0 NOT NULL,
	`delivered_step` integer DEFAULT 0 NOT NULL,
	`sent_parts` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `checkins_client_key_unique` ON `checkins` (`client_key`);--> statement-breakpoint
CREATE INDEX `checkins_due` ON `checkins` (`due_at`);