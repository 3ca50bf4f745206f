/**
 * The keeper's own state, SQLite dialect (the source of truth; `schema.pg.ts` mirrors it). It lives in
 * the same database as the flow history it reads. Amounts are decimal strings of base units, times
 * integer milliseconds since the epoch, forecasts are in whole tokens (floating point).
 */
import { index, integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The keeper's outbox: one row per order, written before anything is sent. `id` is deterministic (a
 * hash of the pool, the block the plan was made at and the order's legs), so planning the same round
 * again finds the row instead of making a second order. `payload` (JSON) keeps the signed transaction,
 * its nonce and hash from before the broadcast, so a restart can tell whether it landed. States:
 * awaiting-approval → approved → sending → done | failed; also rejected, expired, awaiting-relayer.
 */
export const keeperOrders = sqliteTable(
  "keeper_orders",
  {
    id: text("id").primaryKey(),
    chainId: integer("chain_id").notNull(),
    pool: text("pool").notNull(), // pool name from the keeper's configuration
    poolAddress: text("pool_address").notNull(),
    kind: text("kind").notNull(), // rebalance | cross-chain
    assetIn: text("asset_in").notNull(), // what the keeper brings to the pool
    amountIn: text("amount_in").notNull(),
    assetOut: text("asset_out").notNull(), // what it takes from the pool
    amountOut: text("amount_out").notNull(),
    state: text("state").notNull(),
    mode: text("mode").notNull(), // the keeper's mode when it planned the order
    explanation: text("explanation").notNull(),
    plannedBlock: integer("planned_block").notNull(),
    payload: text("payload").notNull(), // JSON: the send (nonce, hash, raw transaction), the plan's figures
    txHash: text("tx_hash"),
    error: text("error"),
    decidedBy: text("decided_by"), // automatic | admin
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("keeper_orders_state").on(t.state), index("keeper_orders_pool").on(t.pool, t.state)],
);

/**
 * Alerts: one open row per kind / pool / asset at most (`id` is kind:pool:asset:opened_at); it is
 * resolved when its condition clears, and a new row opens if it returns.
 */
export const keeperAlerts = sqliteTable(
  "keeper_alerts",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(), // below-floor | forecast-drift | floor-above-target | order-failed
    severity: text("severity").notNull(), // warning | critical
    pool: text("pool").notNull(),
    asset: text("asset").notNull(),
    message: text("message").notNull(),
    details: text("details").notNull(), // JSON
    openedAt: integer("opened_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [index("keeper_alerts_open").on(t.kind, t.pool, t.asset, t.resolvedAt)],
);

/**
 * Every forecast the keeper acted on, one per pool / asset / day it covers, kept to be scored once the
 * day is over: `actual` and `absError` are filled then. `scale` is the series' in-sample seasonal-naive
 * error (the MASE denominator); `validationMase` what the forecaster scored on the series' own last
 * days when the forecast was made (the level a drift alert compares against).
 */
export const keeperForecasts = sqliteTable(
  "keeper_forecasts",
  {
    id: text("id").primaryKey(), // pool:asset:day
    pool: text("pool").notNull(),
    asset: text("asset").notNull(),
    forecaster: text("forecaster").notNull(),
    day: integer("day").notNull(), // first millisecond of the UTC day forecast
    p10: real("p10").notNull(),
    p50: real("p50").notNull(),
    p90: real("p90").notNull(),
    scale: real("scale"),
    validationMase: real("validation_mase"),
    actual: real("actual"),
    absError: real("abs_error"),
    madeAt: integer("made_at").notNull(),
    scoredAt: integer("scored_at"),
  },
  (t) => [index("keeper_forecasts_series").on(t.pool, t.asset, t.day)],
);

/** Small facts the keeper keeps across restarts (e.g. the mode an admin set), one row per key. */
export const keeperState = sqliteTable("keeper_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
