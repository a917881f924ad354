CREATE TABLE `survey_markers` (
	`marker` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `survey_opt_ins` (
	`client_key` text PRIMARY KEY NOT NULL,
	`language` text NOT NULL,
	`invited` text DEFAULT '[]' NOT NULL,
	FOREIGN KEY (`client_key`) REFERENCES `clients`(`key`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `survey_progress` (
	`client_key` text NOT NULL,
	`survey_id` text NOT NULL,
	`sealed_state` text NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`client_key`, `survey_id`)
);
--> statement-breakpoint
CREATE INDEX `survey_progress_expiry` ON `survey_progress` (`expires_at`);--> statement-breakpoint
CREATE TABLE `survey_responses` (
	`id` integer PRIMARY KEY NOT NULL,
	`survey_id` text NOT NULL,
	`answered_on` text NOT NULL,
	`sealed_answers` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `survey_responses_survey` ON `survey_responses` (`survey_id`);