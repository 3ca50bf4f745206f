/**
 * The flow history, PostgreSQL dialect (used when DATABASE_URL is set): the same tables, columns and
 * indexes as `schema.ts`, the source of truth. Times and block numbers are `bigint` here because
 * PostgreSQL's `integer` is 32-bit; everything else maps one to one.
 */
import { bigint, index, integer, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

export const flows = pgTable(
  "flows",
  {
    hour: bigint("hour", { mode: "number" }).notNull(),
    operator: text("operator").notNull(),
    agent: text("agent").notNull(),
    region: text("region").notNull(),
    asset: text("asset").notNull(),
    source: text("source").notNull(),
    cashIn: text("cash_in").notNull(),
    cashOut: text("cash_out").notNull(),
    events: integer("events").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.operator, t.agent, t.region, t.asset, t.source] }), index("flows_asset_hour").on(t.asset, t.hour)],
);

export const flowEvents = pgTable(
  "flow_events",
  {
    id: text("id").primaryKey(),
    source: text("source").notNull(),
    hour: bigint("hour", { mode: "number" }).notNull(),
    at: bigint("at", { mode: "number" }).notNull(),
    operator: text("operator").notNull(),
    agent: text("agent").notNull(),
    region: text("region").notNull(),
    asset: text("asset").notNull(),
    direction: text("direction").notNull(),
    amount: text("amount").notNull(),
    ref: text("ref"),
    block: bigint("block", { mode: "number" }),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
  },
  (t) => [index("flow_events_bucket").on(t.hour, t.operator, t.agent, t.region, t.asset, t.source), index("flow_events_ref").on(t.ref)],
);

export const flowAttributions = pgTable("flow_attributions", {
  ref: text("ref").primaryKey(),
  operator: text("operator").notNull(),
  agent: text("agent").notNull(),
  region: text("region").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});

export const flowCursors = pgTable("flow_cursors", {
  name: text("name").primaryKey(),
  block: bigint("block", { mode: "number" }).notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});
