/**
 * The rebalancer's input and output, as plain JSON-friendly data: the keeper builds a PlanInput from
 * the chain and its forecasts, the backtest builds one from its simulation, and both call `plan()`.
 *
 * Units: every amount of an asset is in WHOLE units of that asset (naira for cNGN, dollars for USDC,
 * troy ounces for XAUt), as a JS number; every price is US dollars per whole unit. The planner
 * never sees base units; the keeper converts calls to base units with the asset's decimals.
 */

export type Mode = "automatic" | "approve" | "paused";

/** Forecast of an asset's NET OUTFLOW from a pool (cash-out minus cash-in), per step, by quantile level. */
export interface OutflowForecast {
  /** Length of one step in hours (24 for daily plans, 1 for the keeper's hourly flow table). */
  stepHours: number;
  /**
   * Quantile level (as a decimal string: "0.1", "0.5", "0.9", "0.95" …) → one value per step, for
   * the steps right after `now`. Levels between two given ones are interpolated; levels outside
   * the given range are refused.
   */
  quantiles: Record<string, number[]>;
}

/** The on-chain bounds of a pool, as `params()` returns them (LiquidityPool.sol). */
export interface PoolBounds {
  /** A rebalance call may bring in at most this share of pool value (basis points). */
  maxRebalanceBps: number;
  /** Swap spread, basis points. */
  spreadBps: number;
  /** Imbalance fee slope as a plain number (the contract's WAD value / 1e18): marginal fee = slope · gap / target. */
  imbalanceSlope: number;
}

export interface PoolAssetInput {
  asset: string;
  /** Held in the pool now (`reserves()`). */
  holding: number;
  /** Already ordered and on its way here, arriving within the lead time (so not ordered twice). */
  inTransit?: number;
  /** The pool's on-chain target for the asset (`targets()`). Absent for a float with no pool contract. */
  target?: number;
  /** Net outflow forecast; absent for an asset nobody cashes out (its floor is 0). */
  forecast?: OutflowForecast;
  /** Steps until a replenishment ordered now can be used here (its regular source's lead time). */
  leadTimeSteps?: number;
  /** Steps until the next plan can act (the review period). Default 1. */
  reviewSteps?: number;
  /** Calendar reasons for the forecast ("payroll day", "Easter Monday"), used in explanations only. */
  reasons?: string[];
}

export interface PoolInput {
  /** Stable id, e.g. "MTN-NG" or a pool address. */
  id: string;
  /** Name used in explanations (defaults to the id). */
  label?: string;
  chain: string;
  /** Absent for a float without a pool contract: no per-call cap, no swaps there. */
  bounds?: PoolBounds;
  assets: PoolAssetInput[];
}

/** Money the protocol's own treasury (the keeper's inventory) can put in. */
export interface TreasuryInput {
  id: string;
  chain: string;
  asset: string;
  available: number;
}

export type RouteKind = "same-chain" | "cctp-standard" | "cctp-fast";

/** How money moves between chains (or within one): its fee and how long it takes to be usable. */
export interface RouteInput {
  from: string;
  to: string;
  kind: RouteKind;
  /** Fee on the moved value, basis points (CCTP Fast 0–14 by source chain; Standard 0). */
  feeBps: number;
  leadTimeSteps: number;
}

export interface CostInput {
  /** USD per whole unit of each asset. */
  pricesUsd: Record<string, number>;
  /** Gas price in weibar per gas (what the relay's eth_gasPrice returns). */
  gasPriceWeibar: number;
  /** HBAR price in USD, to turn gas into dollars. */
  hbarUsd: number;
  /** Gas one `pool.rebalance` call uses (bench/results/gas.json "rebalance"). */
  rebalanceGas: number;
  /** Gas of one treasury swap (bench/results/gas.json "swap"); default 105,968. */
  swapGas?: number;
  /** USD of gas for a CCTP burn on the source chain plus the mint on the destination (their own gas prices); default $0.10. */
  crossChainGasUsd?: number;
  /** Annual rate that float held idle (in a pool or in transit) would earn elsewhere, per asset; "*" = default. */
  idleFloatAnnualRate: Record<string, number>;
  /** Value kept back on each rebalance call so `valueOut ≤ valueIn` holds after rounding and small price moves. */
  valueHaircutBps?: number;
}

export interface PlanConfig {
  /** Quantile of net outflow the floor covers. Default 0.9. */
  floorQuantile?: number;
  /**
   * How per-step quantiles become a quantile over the horizon:
   * "sum-of-quantiles" (default) adds them (exact if steps move together, conservative otherwise);
   * "independent" = Σ median + √Σ (q − median)² (steps independent, errors roughly normal).
   */
  aggregation?: "sum-of-quantiles" | "independent";
  /** Orders worth less than this (USD) are not sent (the gas would be wasted); default 50. */
  minOrderUsd?: number;
  /** Routes costing more than this per dollar moved are not used; default 200 bps. */
  maxCostBps?: number;
  /** Gaps below this (USD) are not findings; default 1. */
  toleranceUsd?: number;
}

export interface PlanInput {
  /** Planning time, ISO 8601 (the only clock the planner sees; part of every order id). */
  now: string;
  mode: Mode;
  pools: PoolInput[];
  treasuries?: TreasuryInput[];
  routes?: RouteInput[];
  costs: CostInput;
  config?: PlanConfig;
}

// ---------------------------------------------------------------- output

export interface Floor {
  pool: string;
  asset: string;
  /** Forecast net outflow over the horizon at the median (for explanations). */
  medianOutflow: number;
  /** The floor: the chosen quantile of net outflow over lead time + review period. */
  floor: number;
  quantile: number;
  horizonSteps: number;
  stepHours: number;
  holding: number;
  inTransit: number;
  /** max(0, floor − holding − inTransit). */
  gap: number;
  /** Daily cost (USD) of holding the floor idle at the asset's idle-float rate. */
  idleCostPerDayUsd: number;
}

/** One `pool.rebalance(tokenIn, amountIn, tokenOut, amountOut)` call, in whole units. */
export interface RebalanceCall {
  pool: string;
  tokenIn: string;
  amountIn: number;
  tokenOut: string;
  amountOut: number;
}

/** A swap the keeper makes with treasury money to get the asset a pool needs. */
export interface SwapCall {
  pool: string;
  tokenIn: string;
  amountIn: number;
  tokenOut: string;
  /** Expected output after spread and imbalance fees (the keeper quotes again before sending). */
  amountOut: number;
}

export type OrderStatus =
  | "held"
  | "pending-approval"
  | "approved"
  | "awaiting-relayer"
  | "sent"
  | "done"
  | "failed"
  | "rejected"
  | "expired";

export interface OrderSource {
  kind: "pool" | "treasury";
  /** Pool id or treasury id. */
  id: string;
  chain: string;
  asset: string;
}

export interface OrderCost {
  feeUsd: number;
  swapUsd: number;
  carryUsd: number;
  gasUsd: number;
  haircutUsd: number;
  totalUsd: number;
}

export interface Order {
  /** Derived from pool, asset, planning time and source: the same plan gives the same ids. */
  id: string;
  status: OrderStatus;
  pool: string;
  chain: string;
  asset: string;
  /** Whole units of `asset` delivered into the pool. */
  amount: number;
  amountUsd: number;
  source: OrderSource;
  route: { kind: RouteKind; feeBps: number; leadTimeSteps: number };
  /** The swap that turns treasury money into the asset, when the source holds another asset. */
  swap?: SwapCall;
  /** Calls on the source pool (taking the asset out), then on the receiving pool (bringing it in). */
  calls: RebalanceCall[];
  cost: OrderCost;
  explanation: string;
}

export type FindingKind = "short" | "floor-above-target" | "below-minimum" | "paused";

export interface Finding {
  kind: FindingKind;
  pool?: string;
  asset?: string;
  /** Whole units of the asset (for "short": what could not be covered). */
  amount?: number;
  text: string;
}

export interface Plan {
  now: string;
  mode: Mode;
  floors: Floor[];
  orders: Order[];
  findings: Finding[];
  /** Every order's explanation, then every finding's text: what a person reads. */
  explanations: string[];
  totalCostUsd: number;
}
