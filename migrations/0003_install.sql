CREATE TABLE `oauth_states` (
	`state` text PRIMARY KEY NOT NULL,
	`shop` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `oauth_states_expires_at` ON `oauth_states` (`expires_at`);--> statement-breakpoint
CREATE TABLE `shop_tokens` (
	`shop` text PRIMARY KEY NOT NULL,
	`ciphertext` text,
	`iv` text,
	`key_id` text,
	`scopes` text NOT NULL,
	`installed_at` integer NOT NULL,
	`revoked_at` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `shop_tokens_key_id` ON `shop_tokens` (`key_id`);