CREATE TABLE "flow_attributions" (
	"ref" text PRIMARY KEY NOT NULL,
	"operator" text NOT NULL,
	"agent" text NOT NULL,
	"region" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"block" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flow_events" (
	"id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"hour" bigint NOT NULL,
	"at" bigint NOT NULL,
	"operator" text NOT NULL,
	"agent" text NOT NULL,
	"region" text NOT NULL,
	"asset" text NOT NULL,
	"direction" text NOT NULL,
	"amount" text NOT NULL,
	"ref" text,
	"block" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flows" (
	"hour" bigint NOT NULL,
	"operator" text NOT NULL,
	"agent" text NOT NULL,
	"region" text NOT NULL,
	"asset" text NOT NULL,
	"source" text NOT NULL,
	"cash_in" text NOT NULL,
	"cash_out" text NOT NULL,
	"events" integer NOT NULL,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "flows_hour_operator_agent_region_asset_source_pk" PRIMARY KEY("hour","operator","agent","region","asset","source")
);
--> statement-breakpoint
CREATE TABLE "keeper_alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"severity" text NOT NULL,
	"pool" text NOT NULL,
	"asset" text NOT NULL,
	"message" text NOT NULL,
	"details" text NOT NULL,
	"opened_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"resolved_at" bigint
);
--> statement-breakpoint
CREATE TABLE "keeper_forecasts" (
	"id" text PRIMARY KEY NOT NULL,
	"pool" text NOT NULL,
	"asset" text NOT NULL,
	"forecaster" text NOT NULL,
	"day" bigint NOT NULL,
	"p10" double precision NOT NULL,
	"p50" double precision NOT NULL,
	"p90" double precision NOT NULL,
	"scale" double precision,
	"validation_mase" double precision,
	"actual" double precision,
	"abs_error" double precision,
	"made_at" bigint NOT NULL,
	"scored_at" bigint
);
--> statement-breakpoint
CREATE TABLE "keeper_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"chain_id" integer NOT NULL,
	"pool" text NOT NULL,
	"pool_address" text NOT NULL,
	"kind" text NOT NULL,
	"asset_in" text NOT NULL,
	"amount_in" text NOT NULL,
	"asset_out" text NOT NULL,
	"amount_out" text NOT NULL,
	"state" text NOT NULL,
	"mode" text NOT NULL,
	"explanation" text NOT NULL,
	"planned_block" bigint NOT NULL,
	"payload" text NOT NULL,
	"tx_hash" text,
	"error" text,
	"decided_by" text,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "keeper_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "flow_events_bucket" ON "flow_events" USING btree ("hour","operator","agent","region","asset","source");--> statement-breakpoint
CREATE INDEX "flow_events_ref" ON "flow_events" USING btree ("ref");--> statement-breakpoint
CREATE INDEX "flows_asset_hour" ON "flows" USING btree ("asset","hour");--> statement-breakpoint
CREATE INDEX "keeper_alerts_open" ON "keeper_alerts" USING btree ("kind","pool","asset","resolved_at");--> statement-breakpoint
CREATE INDEX "keeper_forecasts_series" ON "keeper_forecasts" USING btree ("pool","asset","day");--> statement-breakpoint
CREATE INDEX "keeper_orders_state" ON "keeper_orders" USING btree ("state");--> statement-breakpoint
CREATE INDEX "keeper_orders_pool" ON "keeper_orders" USING btree ("pool","state");