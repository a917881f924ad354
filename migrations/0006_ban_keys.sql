CREATE TABLE `ban_keys` (
	`ban_key` text PRIMARY KEY NOT NULL,
	`banned_on` text NOT NULL
);
--> statement-breakpoint
DROP TABLE `bans`;