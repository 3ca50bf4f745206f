CREATE TABLE `alerts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`account_id` text,
	`op_id` text,
	`detail` text NOT NULL,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text
);
--> statement-breakpoint
CREATE INDEX `alerts_open` ON `alerts` (`resolved_at`,`created_at`);--> statement-breakpoint
CREATE TABLE `bridge_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`partner_id` text NOT NULL,
	`key` text NOT NULL,
	`request_hash` text NOT NULL,
	`status` text NOT NULL,
	`response_status` integer,
	`response_body` text,
	`op_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`partner_id`, `key`)
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_op` ON `idempotency_keys` (`partner_id`,`op_id`);--> statement-breakpoint
CREATE TABLE `kyc_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`requested_tier` integer NOT NULL,
	`provider_ref` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `money_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`requester_id` text NOT NULL,
	`payer_id` text NOT NULL,
	`asset` text NOT NULL,
	`amount` text NOT NULL,
	`status` text NOT NULL,
	`op_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `money_requests_payer` ON `money_requests` (`payer_id`,`status`);--> statement-breakpoint
CREATE TABLE `operations` (
	`op_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`origin` text NOT NULL,
	`account_id` text NOT NULL,
	`counterparty_id` text,
	`asset` text NOT NULL,
	`amount` text NOT NULL,
	`asset_out` text,
	`amount_out` text,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`tx_hash` text,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `operations_status` ON `operations` (`status`);--> statement-breakpoint
CREATE INDEX `operations_account` ON `operations` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `rail_payments` (
	`id` text PRIMARY KEY NOT NULL,
	`rail` text NOT NULL,
	`direction` text NOT NULL,
	`account_id` text NOT NULL,
	`phone` text NOT NULL,
	`currency` text NOT NULL,
	`fiat_amount` text NOT NULL,
	`asset` text NOT NULL,
	`asset_amount` text NOT NULL,
	`provider_ref` text,
	`receipt` text,
	`status` text NOT NULL,
	`result_code` text,
	`op_id` text,
	`refund_op_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rail_payments_provider_ref` ON `rail_payments` (`rail`,`provider_ref`);--> statement-breakpoint
CREATE INDEX `rail_payments_status` ON `rail_payments` (`status`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`state` text NOT NULL,
	`hops` integer DEFAULT 0 NOT NULL,
	`last_input` text DEFAULT '' NOT NULL,
	`last_response` text DEFAULT '' NOT NULL,
	`status` text DEFAULT 'live' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sessions_phone` ON `sessions` (`phone`,`status`);--> statement-breakpoint
CREATE TABLE `sms_outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`message` text NOT NULL,
	`status` text NOT NULL,
	`provider_message_id` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sms_outbox_status` ON `sms_outbox` (`status`);--> statement-breakpoint
CREATE TABLE `users` (
	`account_id` text PRIMARY KEY NOT NULL,
	`phone` text NOT NULL,
	`country` text NOT NULL,
	`lang` text NOT NULL,
	`pin_hash` text NOT NULL,
	`failed_pins` integer DEFAULT 0 NOT NULL,
	`locked_until` integer DEFAULT 0 NOT NULL,
	`tier` integer DEFAULT 1 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`terms_accepted_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_phone` ON `users` (`phone`);