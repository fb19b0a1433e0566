CREATE TABLE `compliance_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`topic` text NOT NULL,
	`webhook_id` text NOT NULL,
	`customer_id` text,
	`received_at` integer NOT NULL,
	`completed_at` integer,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `compliance_requests_shop` ON `compliance_requests` (`shop`,`received_at`);--> statement-breakpoint
CREATE TABLE `cron_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`job` text NOT NULL,
	`scheduled_at` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`status` text NOT NULL,
	`summary` text
);
--> statement-breakpoint
CREATE INDEX `cron_runs_job` ON `cron_runs` (`job`,`started_at`);--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`domain` text NOT NULL,
	`topic` text NOT NULL,
	`webhook_id` text,
	`customer_id` text,
	`order_id` text,
	`envelope` text NOT NULL,
	`error_class` text NOT NULL,
	`error_code` text NOT NULL,
	`error_message` text NOT NULL,
	`attempts` integer NOT NULL,
	`status` text NOT NULL,
	`replay_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `dead_letters_status` ON `dead_letters` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `dead_letters_shop` ON `dead_letters` (`shop`,`domain`);--> statement-breakpoint
CREATE INDEX `dead_letters_customer` ON `dead_letters` (`shop`,`customer_id`);--> statement-breakpoint
CREATE INDEX `dead_letters_order` ON `dead_letters` (`shop`,`order_id`);--> statement-breakpoint
CREATE TABLE `shop_installations` (
	`shop` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `stored_payloads` (
	`key` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`webhook_id` text NOT NULL,
	`topic` text NOT NULL,
	`customer_id` text,
	`order_id` text,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `stored_payloads_customer` ON `stored_payloads` (`shop`,`customer_id`);--> statement-breakpoint
CREATE INDEX `stored_payloads_order` ON `stored_payloads` (`shop`,`order_id`);--> statement-breakpoint
CREATE TABLE `webhook_receipts` (
	`shop` text NOT NULL,
	`webhook_id` text NOT NULL,
	`event_id` text NOT NULL,
	`topic` text NOT NULL,
	`api_version` text NOT NULL,
	`triggered_at` text NOT NULL,
	`received_at` integer NOT NULL,
	`status` text NOT NULL,
	`claimed_at` integer NOT NULL,
	`queue` text,
	`trace_id` text NOT NULL,
	`payload_key` text,
	PRIMARY KEY(`shop`, `webhook_id`)
);
--> statement-breakpoint
CREATE INDEX `webhook_receipts_received_at` ON `webhook_receipts` (`received_at`);--> statement-breakpoint
CREATE INDEX `webhook_receipts_topic_status` ON `webhook_receipts` (`shop`,`topic`,`status`);