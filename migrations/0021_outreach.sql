CREATE TABLE `event_counts` (
	`event_id` text PRIMARY KEY NOT NULL,
	`confirmed` integer DEFAULT 0 NOT NULL,
	`cancelled` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `event_reminders` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`holder_key` text NOT NULL,
	`chat_ref` text NOT NULL,
	`lang` text NOT NULL,
	`remind_at` integer NOT NULL,
	`event_at` integer NOT NULL,
	`sending_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `event_reminders_once` ON `event_reminders` (`holder_key`,`event_id`,`remind_at`);--> statement-breakpoint
CREATE INDEX `event_reminders_due` ON `event_reminders` (`remind_at`);--> statement-breakpoint
CREATE TABLE `source_counts` (
	`day` text NOT NULL,
	`source` text NOT NULL,
	`metric` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `source`, `metric`)
);
--> statement-breakpoint
CREATE TABLE `source_markers` (
	`marker_key` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `source_markers_expiry` ON `source_markers` (`expires_at`);