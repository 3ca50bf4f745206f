CREATE TABLE `flow_attributions` (
	`ref` text PRIMARY KEY NOT NULL,
	`operator` text NOT NULL,
	`agent` text NOT NULL,
	`region` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `flow_cursors` (
	`name` text PRIMARY KEY NOT NULL,
	`block` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `flow_events` (
	`id` text PRIMARY KEY NOT NULL,
	`source` text NOT NULL,
	`hour` integer NOT NULL,
	`at` integer NOT NULL,
	`operator` text NOT NULL,
	`agent` text NOT NULL,
	`region` text NOT NULL,
	`asset` text NOT NULL,
	`direction` text NOT NULL,
	`amount` text NOT NULL,
	`ref` text,
	`block` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `flow_events_bucket` ON `flow_events` (`hour`,`operator`,`agent`,`region`,`asset`,`source`);--> statement-breakpoint
CREATE INDEX `flow_events_ref` ON `flow_events` (`ref`);--> statement-breakpoint
CREATE TABLE `flows` (
	`hour` integer NOT NULL,
	`operator` text NOT NULL,
	`agent` text NOT NULL,
	`region` text NOT NULL,
	`asset` text NOT NULL,
	`source` text NOT NULL,
	`cash_in` text NOT NULL,
	`cash_out` text NOT NULL,
	`events` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`hour`, `operator`, `agent`, `region`, `asset`, `source`)
);
--> statement-breakpoint
CREATE INDEX `flows_asset_hour` ON `flows` (`asset`,`hour`);--> statement-breakpoint
CREATE TABLE `keeper_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`severity` text NOT NULL,
	`pool` text NOT NULL,
	`asset` text NOT NULL,
	`message` text NOT NULL,
	`details` text NOT NULL,
	`opened_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE INDEX `keeper_alerts_open` ON `keeper_alerts` (`kind`,`pool`,`asset`,`resolved_at`);--> statement-breakpoint
CREATE TABLE `keeper_forecasts` (
	`id` text PRIMARY KEY NOT NULL,
	`pool` text NOT NULL,
	`asset` text NOT NULL,
	`forecaster` text NOT NULL,
	`day` integer NOT NULL,
	`p10` real NOT NULL,
	`p50` real NOT NULL,
	`p90` real NOT NULL,
	`scale` real,
	`validation_mase` real,
	`actual` real,
	`abs_error` real,
	`made_at` integer NOT NULL,
	`scored_at` integer
);
--> statement-breakpoint
CREATE INDEX `keeper_forecasts_series` ON `keeper_forecasts` (`pool`,`asset`,`day`);--> statement-breakpoint
CREATE TABLE `keeper_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`chain_id` integer NOT NULL,
	`pool` text NOT NULL,
	`pool_address` text NOT NULL,
	`kind` text NOT NULL,
	`asset_in` text NOT NULL,
	`amount_in` text NOT NULL,
	`asset_out` text NOT NULL,
	`amount_out` text NOT NULL,
	`state` text NOT NULL,
	`mode` text NOT NULL,
	`explanation` text NOT NULL,
	`planned_block` integer NOT NULL,
	`payload` text NOT NULL,
	`tx_hash` text,
	`error` text,
	`decided_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `keeper_orders_state` ON `keeper_orders` (`state`);--> statement-breakpoint
CREATE INDEX `keeper_orders_pool` ON `keeper_orders` (`pool`,`state`);--> statement-breakpoint
CREATE TABLE `keeper_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
