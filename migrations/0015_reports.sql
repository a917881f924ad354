CREATE TABLE `report_counts` (
	`limit_key` text NOT NULL,
	`day` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`limit_key`, `day`)
);
--> statement-breakpoint
CREATE TABLE `reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text NOT NULL,
	`kind` text NOT NULL,
	`region` text,
	`has_photo` integer DEFAULT false NOT NULL,
	`received_hour` integer NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`decided_hour` integer,
	`client_key` text,
	`chat_id` integer NOT NULL,
	`card_message_id` integer,
	`photo_message_id` integer,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_number_unique` ON `reports` (`number`);--> statement-breakpoint
CREATE INDEX `reports_status` ON `reports` (`status`,`received_hour`);--> statement-breakpoint
CREATE INDEX `reports_client` ON `reports` (`client_key`);--> statement-breakpoint
CREATE INDEX `reports_card` ON `reports` (`chat_id`,`card_message_id`);