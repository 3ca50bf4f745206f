/**
 * The flow history, SQLite dialect (the source of truth; `schema.pg.ts` mirrors it column for column
 * and a test keeps the two identical). Conventions, as in the bridge's database:
 * - amounts are decimal strings of an asset's base units (bigints fit neither SQLite's nor JSON's numbers);
 * - times are integer milliseconds since the epoch, UTC; an hour is named by its first millisecond.
 *
 * `flow_events` holds every flow seen once, keyed so a second sighting is a no-op; `flows` is the hourly
 * aggregate the forecasters read, always recomputed from the events (never incremented), so ingesting
 * the same blocks or the same file twice, or resuming after a crash half-way, cannot count twice.
 */
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per operator / agent / region / asset / hour / source. `source` is where the flow was seen:
 * "vault" (CustodialVault Credited = cash in, Debited = cash out), "pool" (LiquidityPool Swap: tokenIn in,
 * tokenOut out) or "telco" (an imported telco transaction log). Sources are kept apart because the same
 * cash-out can appear both on chain and in a telco's log.
 */
export const flows = sqliteTable(
  "flows",
  {
    hour: integer("hour").notNull(),
    operator: text("operator").notNull(),
    agent: text("agent").notNull(),
    region: text("region").notNull(),
    asset: text("asset").notNull(), // symbol: cNGN, USDC, XAUt
    source: text("source").notNull(), // vault | pool | telco
    cashIn: text("cash_in").notNull(), // base units
    cashOut: text("cash_out").notNull(), // base units
    events: integer("events").notNull(), // how many flow_events the row sums
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.hour, t.operator, t.agent, t.region, t.asset, t.source] }), index("flows_asset_hour").on(t.asset, t.hour)],
);

/**
 * Every flow seen, once. `id` is the flow's identity at its source: `vault:<chain>:<tx>:<log index>`,
 * `pool:<chain>:<tx>:<log index>:in|out`, `telco:<operator>:<reference>`.
 */
export const flowEvents = sqliteTable(
  "flow_events",
  {
    id: text("id").primaryKey(),
    source: text("source").notNull(),
    hour: integer("hour").notNull(),
    at: integer("at").notNull(), // the flow's own time (block time or the log's timestamp)
    operator: text("operator").notNull(),
    agent: text("agent").notNull(),
    region: text("region").notNull(),
    asset: text("asset").notNull(),
    direction: text("direction").notNull(), // in | out
    amount: text("amount").notNull(), // base units
    ref: text("ref"), // a vault event's statement ref (0x-hex), to attribute it later
    block: integer("block"), // chain events only
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("flow_events_bucket").on(t.hour, t.operator, t.agent, t.region, t.asset, t.source), index("flow_events_ref").on(t.ref)],
);

/**
 * Who a vault credit or debit belongs to. The chain carries only the statement's ref (the hash of the
 * rail reference, never the receipt itself), so operator / agent / region come from off chain: whoever
 * holds the receipt (the bridge, an operator's export) records them here by ref. Events ingested before
 * their attribution arrives are re-filed when it does.
 */
export const flowAttributions = sqliteTable("flow_attributions", {
  ref: text("ref").primaryKey(), // 0x-hex, lower case
  operator: text("operator").notNull(),
  agent: text("agent").notNull(),
  region: text("region").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** How far each chain reader has read: the last block whose events are all in `flow_events`. */
export const flowCursors = sqliteTable("flow_cursors", {
  name: text("name").primaryKey(), // e.g. chain:31337:0x…vault
  block: integer("block").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
