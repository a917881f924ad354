CREATE TABLE `stories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`number` text,
	`client_key` text,
	`chat_ref` text,
	`status` text NOT NULL,
	`lang` text NOT NULL,
	`kind` text,
	`substances` text DEFAULT '[]' NOT NULL,
	`sealed_original` text,
	`sealed_edited` text,
	`channel` text,
	`approvals` text DEFAULT '[]' NOT NULL,
	`question_open` integer DEFAULT false NOT NULL,
	`answering` integer DEFAULT false NOT NULL,
	`reason` text,
	`updated_hour` integer NOT NULL,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `stories_number_unique` ON `stories` (`number`);--> statement-breakpoint
CREATE INDEX `stories_client` ON `stories` (`client_key`);--> statement-breakpoint
CREATE INDEX `stories_status` ON `stories` (`status`);