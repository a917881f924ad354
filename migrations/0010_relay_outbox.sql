PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer,
	`to_client` integer NOT NULL,
	`kind` text DEFAULT 'copy' NOT NULL,
	`source_message_id` integer,
	`media_group_id` text,
	`reply_to_source_id` integer,
	`sealed_text` text,
	`payload` text,
	`inbox` text,
	`priority` integer DEFAULT 2 NOT NULL,
	`coalesce_key` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer NOT NULL,
	`created_at` integer NOT NULL,
	`sending_at` integer,
	`maybe_repeat` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_outbox`("id", "case_id", "to_client", "source_message_id", "media_group_id", "reply_to_source_id", "attempts", "not_before", "created_at") SELECT "id", "case_id", "to_client", "source_message_id", "media_group_id", "reply_to_source_id", "attempts", "not_before", "created_at" FROM `outbox`;--> statement-breakpoint
DROP TABLE `outbox`;--> statement-breakpoint
ALTER TABLE `__new_outbox` RENAME TO `outbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_source` ON `outbox` (`case_id`,`to_client`,`source_message_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_coalesce` ON `outbox` (`coalesce_key`);--> statement-breakpoint
CREATE INDEX `outbox_lane` ON `outbox` (`to_client`,`case_id`,`id`);