CREATE TABLE `duty` (
	`consultant_id` integer NOT NULL,
	`inbox` text NOT NULL,
	`state` text NOT NULL,
	`since` integer NOT NULL,
	`break_until` integer,
	`roster_slot` integer,
	PRIMARY KEY(`consultant_id`, `inbox`)
);
--> statement-breakpoint
CREATE TABLE `duty_weeks` (
	`consultant_id` integer NOT NULL,
	`week` text NOT NULL,
	`duty_ms` integer DEFAULT 0 NOT NULL,
	`warned_at` integer,
	PRIMARY KEY(`consultant_id`, `week`)
);
--> statement-breakpoint
ALTER TABLE `cases` ADD `last_activity_at` integer;