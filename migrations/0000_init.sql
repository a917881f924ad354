CREATE TABLE `clients` (
	`key` text PRIMARY KEY NOT NULL,
	`pseudonym` text NOT NULL,
	`chat_ref` text NOT NULL,
	`language` text,
	`last_seen_on` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `clients_pseudonym_unique` ON `clients` (`pseudonym`);