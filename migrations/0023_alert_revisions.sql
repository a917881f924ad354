ALTER TABLE `alerts` ADD `pending_fields` text;--> statement-breakpoint
ALTER TABLE `alerts` ADD `pending_expires_at` integer;--> statement-breakpoint
ALTER TABLE `alerts` ADD `pending_approvals` text;