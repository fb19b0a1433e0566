CREATE TABLE `inventory_drift` (
	`id` text PRIMARY KEY NOT NULL,
	`run_id` text NOT NULL,
	`shop` text NOT NULL,
	`sku` text NOT NULL,
	`location_id` text NOT NULL,
	`shopify` integer,
	`hub` integer NOT NULL,
	`oms_snapshot` integer,
	`drift` integer NOT NULL,
	`action` text NOT NULL,
	`checked_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `inventory_drift_run` ON `inventory_drift` (`run_id`);--> statement-breakpoint
CREATE INDEX `inventory_drift_sku` ON `inventory_drift` (`shop`,`sku`);--> statement-breakpoint
CREATE TABLE `inventory_drift_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`status` text NOT NULL,
	`tolerance` integer NOT NULL,
	`checked` integer DEFAULT 0 NOT NULL,
	`drifted` integer DEFAULT 0 NOT NULL,
	`corrected` integer DEFAULT 0 NOT NULL,
	`alerted` integer DEFAULT 0 NOT NULL,
	`error` text,
	`started_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `inventory_drift_runs_shop` ON `inventory_drift_runs` (`shop`,`started_at`);