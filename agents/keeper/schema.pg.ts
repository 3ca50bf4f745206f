/**
 * The keeper's own state, PostgreSQL dialect (used when DATABASE_URL is set): the same tables, columns
 * and indexes as `schema.ts`, the source of truth. Times and block numbers are `bigint` here because
 * PostgreSQL's `integer` is 32-bit; `real` is `double precision`.
 */
import { bigint, doublePrecision, index, integer, pgTable, text } from "drizzle-orm/pg-core";

/**
 * The keeper's outbox: one row per order, written before anything is sent. `id` is deterministic (a
 * hash of the pool, the block the plan was made at and the order's legs), so planning the same round
 * again finds the row instead of making a second order. `payload` (JSON) keeps the signed transaction,
 * its nonce and hash from before the broadcast, so a restart can tell whether it landed. States:
 * awaiting-approval → approved → sending → done | failed; also rejected, expired, awaiting-relayer.
 */
export const keeperOrders = pgTable(
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
    plannedBlock: bigint("planned_block", { mode: "number" }).notNull(),
    payload: text("payload").notNull(), // JSON: the send (nonce, hash, raw transaction), the plan's figures
    txHash: text("tx_hash"),
    error: text("error"),
    decidedBy: text("decided_by"), // automatic | admin
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("keeper_orders_state").on(t.state), index("keeper_orders_pool").on(t.pool, t.state)],
);

/**
 * Alerts: one open row per kind / pool / asset at most (`id` is kind:pool:asset:opened_at); it is
 * resolved when its condition clears, and a new row opens if it returns.
 */
export const keeperAlerts = pgTable(
  "keeper_alerts",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(), // below-floor | forecast-drift | floor-above-target | order-failed
    severity: text("severity").notNull(), // warning | critical
    pool: text("pool").notNull(),
    asset: text("asset").notNull(),
    message: text("message").notNull(),
    details: text("details").notNull(), // JSON
    openedAt: bigint("opened_at", { mode: "number" }).notNull(),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }).notNull(),
    resolvedAt: bigint("resolved_at", { mode: "number" }),
  },
  (t) => [index("keeper_alerts_open").on(t.kind, t.pool, t.asset, t.resolvedAt)],
);

/**
 * Every forecast the keeper acted on, one per pool / asset / day it covers, kept to be scored once the
 * day is over: `actual` and `absError` are filled then. `scale` is the series' in-sample seasonal-naive
 * error (the MASE denominator); `validationMase` what the forecaster scored on the series' own last
 * days when the forecast was made (the level a drift alert compares against).
 */
export const keeperForecasts = pgTable(
  "keeper_forecasts",
  {
    id: text("id").primaryKey(), // pool:asset:day
    pool: text("pool").notNull(),
    asset: text("asset").notNull(),
    forecaster: text("forecaster").notNull(),
    day: bigint("day", { mode: "number" }).notNull(), // first millisecond of the UTC day forecast
    p10: doublePrecision("p10").notNull(),
    p50: doublePrecision("p50").notNull(),
    p90: doublePrecision("p90").notNull(),
    scale: doublePrecision("scale"),
    validationMase: doublePrecision("validation_mase"),
    actual: doublePrecision("actual"),
    absError: doublePrecision("abs_error"),
    madeAt: bigint("made_at", { mode: "number" }).notNull(),
    scoredAt: bigint("scored_at", { mode: "number" }),
  },
  (t) => [index("keeper_forecasts_series").on(t.pool, t.asset, t.day)],
);

export const keeperState = pgTable("keeper_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
});
