CREATE TABLE `config_snapshot` (
	`id` text PRIMARY KEY NOT NULL,
	`fingerprint` text NOT NULL,
	`settings` text NOT NULL,
	`recorded_at` integer NOT NULL
);
