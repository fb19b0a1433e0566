CREATE TABLE `inventory_item_map` (
	`shop` text NOT NULL,
	`sku` text NOT NULL,
	`inventory_item_id` text NOT NULL,
	`refreshed_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `sku`)
);
--> statement-breakpoint
CREATE TABLE `inventory_location_map` (
	`shop` text NOT NULL,
	`location_code` text NOT NULL,
	`shopify_location_id` text NOT NULL,
	`refreshed_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `location_code`)
);
--> statement-breakpoint
CREATE INDEX `inventory_location_map_refreshed` ON `inventory_location_map` (`shop`,`refreshed_at`);