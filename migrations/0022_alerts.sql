CREATE TABLE `alert_approvals` (
	`alert_id` integer NOT NULL,
	`staff_key` text NOT NULL,
	PRIMARY KEY(`alert_id`, `staff_key`),
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `alert_deliveries` (
	`alert_id` integer NOT NULL,
	`subscription_key` text NOT NULL,
	`state` text NOT NULL,
	`message_id` integer,
	`version` integer DEFAULT 0 NOT NULL,
	`notice` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`not_before` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`alert_id`, `subscription_key`),
	FOREIGN KEY (`alert_id`) REFERENCES `alerts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subscription_key`) REFERENCES `alert_subscriptions`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `alert_deliveries_state` ON `alert_deliveries` (`state`,`not_before`);--> statement-breakpoint
CREATE INDEX `alert_deliveries_subscription` ON `alert_deliveries` (`subscription_key`);--> statement-breakpoint
CREATE TABLE `alert_subscriptions` (
	`key` text PRIMARY KEY NOT NULL,
	`chat_ref` text NOT NULL,
	`regions` text NOT NULL,
	`language` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`status` text NOT NULL,
	`regions` text NOT NULL,
	`severity` text NOT NULL,
	`fields` text NOT NULL,
	`channel` text,
	`expires_at` integer NOT NULL,
	`chat_id` integer NOT NULL,
	`drafted_by` text NOT NULL,
	`approvals_needed` integer NOT NULL,
	`report_no` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`approved_at` integer,
	`finished_at` integer,
	`ended_at` integer,
	`sent` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`blocked` integer DEFAULT 0 NOT NULL,
	`uncertain` integer DEFAULT 0 NOT NULL,
	`unsent` integer DEFAULT 0 NOT NULL,
	`channel_state` text,
	`channel_message_id` integer
);
