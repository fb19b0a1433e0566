CREATE TABLE `alert_notifications` (
	`alert_id` text NOT NULL,
	`channel` text NOT NULL,
	`notified_at` integer,
	`resolve_sent_at` integer,
	`failures` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`alert_id`, `channel`)
);
--> statement-breakpoint
CREATE TABLE `alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`shop` text,
	`detail` text NOT NULL,
	`status` text NOT NULL,
	`occurrences` integer DEFAULT 1 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`summary` text,
	`opened_at` integer,
	`resolved_at` integer,
	`acknowledged_at` integer,
	`acknowledged_by` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `alerts_dedupe_key_unique` ON `alerts` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `alerts_status` ON `alerts` (`status`,`last_seen_at`);--> statement-breakpoint
CREATE INDEX `alerts_kind` ON `alerts` (`kind`,`last_seen_at`);--> statement-breakpoint
CREATE TABLE `metric_buckets` (
	`name` text NOT NULL,
	`dims` text NOT NULL,
	`minute` integer NOT NULL,
	`bucket` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`name`, `dims`, `minute`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `metric_buckets_minute` ON `metric_buckets` (`name`,`minute`);--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`name` text NOT NULL,
	`dims` text NOT NULL,
	`minute` integer NOT NULL,
	`count` integer NOT NULL,
	`sum` real NOT NULL,
	`min` real NOT NULL,
	`max` real NOT NULL,
	PRIMARY KEY(`name`, `dims`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `metric_rollups_minute` ON `metric_rollups` (`name`,`minute`);