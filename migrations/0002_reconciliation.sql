CREATE TABLE `payout_mismatches` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`shop` text NOT NULL,
	`order_id` text NOT NULL,
	`kind` text NOT NULL,
	`effect` text NOT NULL,
	`payout_ids` text,
	`transaction_ids` text,
	`shopify_amount` text,
	`shopify_currency` text,
	`erp_amount` text,
	`erp_currency` text,
	`detail` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payout_mismatches_run` ON `payout_mismatches` (`run_id`);--> statement-breakpoint
CREATE INDEX `payout_mismatches_order` ON `payout_mismatches` (`shop`,`order_id`);--> statement-breakpoint
CREATE TABLE `payout_reconciliation_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`status` text NOT NULL,
	`since` text NOT NULL,
	`payouts` integer DEFAULT 0 NOT NULL,
	`transactions` integer DEFAULT 0 NOT NULL,
	`covered_from` integer,
	`covered_until` integer,
	`missing` integer DEFAULT 0 NOT NULL,
	`extra` integer DEFAULT 0 NOT NULL,
	`amount` integer DEFAULT 0 NOT NULL,
	`unverified` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `payout_runs_shop` ON `payout_reconciliation_runs` (`shop`,`started_at`);