CREATE TABLE `order_events` (
	`shop` text NOT NULL,
	`order_id` text NOT NULL,
	`event_key` text NOT NULL,
	`customer_id` text,
	`order_updated_at` integer,
	`envelope` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `order_id`, `event_key`)
);
--> statement-breakpoint
CREATE INDEX `order_events_customer` ON `order_events` (`shop`,`customer_id`);--> statement-breakpoint
CREATE TABLE `order_exports` (
	`connector` text NOT NULL,
	`idempotency_key` text NOT NULL,
	`shop` text NOT NULL,
	`order_id` text NOT NULL,
	`effect` text NOT NULL,
	`revision` text NOT NULL,
	`status` text NOT NULL,
	`external_ref` text,
	`amount` text,
	`currency` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`exported_at` integer,
	`lag_ms` integer,
	`last_error` text,
	`trace_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`connector`, `idempotency_key`)
);
--> statement-breakpoint
CREATE INDEX `order_exports_order` ON `order_exports` (`shop`,`order_id`);--> statement-breakpoint
CREATE INDEX `order_exports_status` ON `order_exports` (`status`,`updated_at`);--> statement-breakpoint
CREATE TABLE `order_targets` (
	`shop` text NOT NULL,
	`order_id` text NOT NULL,
	`connector` text NOT NULL,
	`order_name` text,
	`status` text NOT NULL,
	`external_ref` text,
	`exported_revision` integer,
	`exported_digest` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`exported_at` integer,
	`lag_ms` integer,
	`last_error` text,
	`written_back_at` integer,
	`lease_owner` text,
	`lease_until` integer DEFAULT 0 NOT NULL,
	`trace_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `order_id`, `connector`)
);
--> statement-breakpoint
CREATE INDEX `order_targets_status` ON `order_targets` (`status`,`first_seen_at`);--> statement-breakpoint
CREATE INDEX `order_targets_name` ON `order_targets` (`shop`,`order_name`);--> statement-breakpoint
CREATE TABLE `watermarks` (
	`shop` text NOT NULL,
	`job` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `job`)
);
