CREATE TABLE `shopify_price_lists` (
	`shop` text NOT NULL,
	`price_list_id` text NOT NULL,
	`shopify_price_list_id` text NOT NULL,
	`pushed_version` integer NOT NULL,
	`last_push_at` integer,
	`last_outcome` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `price_list_id`)
);
--> statement-breakpoint
CREATE TABLE `shopify_price_pushes` (
	`shop` text NOT NULL,
	`price_list_id` text NOT NULL,
	`sku` text NOT NULL,
	`variant_id` text,
	`pushed_hash` text,
	`has_breaks` integer NOT NULL,
	`has_rule` integer NOT NULL,
	`failed_hash` text,
	`error` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `price_list_id`, `sku`)
);
--> statement-breakpoint
CREATE TABLE `shopify_variant_skus` (
	`shop` text NOT NULL,
	`sku` text NOT NULL,
	`variant_id` text,
	`variant_count` integer NOT NULL,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `sku`)
);
