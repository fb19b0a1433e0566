CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`before` text,
	`after` text,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_actor` ON `audit_log` (`actor`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_action` ON `audit_log` (`action`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_at` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `buyer_contacts` (
	`shop` text NOT NULL,
	`contact_id` text NOT NULL,
	`customer_id` text NOT NULL,
	`company_id` text NOT NULL,
	`location_ids` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `contact_id`)
);
--> statement-breakpoint
CREATE INDEX `buyer_contacts_customer` ON `buyer_contacts` (`shop`,`customer_id`);--> statement-breakpoint
CREATE INDEX `buyer_contacts_company` ON `buyer_contacts` (`shop`,`company_id`);--> statement-breakpoint
CREATE TABLE `buyer_locations` (
	`shop` text NOT NULL,
	`location_id` text NOT NULL,
	`company_id` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `location_id`)
);
--> statement-breakpoint
CREATE INDEX `buyer_locations_company` ON `buyer_locations` (`shop`,`company_id`);--> statement-breakpoint
CREATE TABLE `buyer_lookups` (
	`shop` text NOT NULL,
	`customer_id` text NOT NULL,
	`checked_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `customer_id`)
);
--> statement-breakpoint
CREATE TABLE `price_assignments` (
	`shop` text NOT NULL,
	`subject_type` text NOT NULL,
	`subject_id` text NOT NULL,
	`subject_hash` integer NOT NULL,
	`price_list_id` text NOT NULL,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `subject_type`, `subject_id`)
);
--> statement-breakpoint
CREATE INDEX `price_assignments_list` ON `price_assignments` (`shop`,`price_list_id`);--> statement-breakpoint
CREATE TABLE `price_book_heads` (
	`shop` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL,
	`published_version` integer NOT NULL,
	`generation` integer NOT NULL,
	`pointer` text,
	`lease_owner` text,
	`lease_until` integer NOT NULL,
	`last_pointer_write_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `price_book_versions` (
	`shop` text NOT NULL,
	`version` integer NOT NULL,
	`kind` text NOT NULL,
	`actor` text NOT NULL,
	`changes` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `version`)
);
--> statement-breakpoint
CREATE TABLE `price_entries` (
	`shop` text NOT NULL,
	`price_list_id` text NOT NULL,
	`sku` text NOT NULL,
	`currency` text NOT NULL,
	`sku_hash` integer NOT NULL,
	`tiers` text NOT NULL,
	`quantity_rule` text,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `price_list_id`, `sku`)
);
--> statement-breakpoint
CREATE INDEX `price_entries_bucket` ON `price_entries` (`shop`,`currency`,`sku_hash`);--> statement-breakpoint
CREATE TABLE `price_kv_keys` (
	`shop` text NOT NULL,
	`generation` integer NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`shop`, `key`)
);
--> statement-breakpoint
CREATE INDEX `price_kv_keys_generation` ON `price_kv_keys` (`shop`,`generation`);--> statement-breakpoint
CREATE TABLE `price_lists` (
	`shop` text NOT NULL,
	`id` text NOT NULL,
	`kind` text NOT NULL,
	`currency` text NOT NULL,
	`name` text,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `id`)
);
--> statement-breakpoint
CREATE TABLE `price_promotions` (
	`shop` text NOT NULL,
	`id` text NOT NULL,
	`currency` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`skus` text,
	`company_ids` text,
	`fixed_unit_price` integer,
	`percent_off_basis_points` integer,
	`version` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop`, `id`)
);
