/**
 * The keeper's one integration point with the rebalancer (agents/liquidity/rebalance): the planner's
 * input and output types and the pure `plan()` the keeper calls each tick. The keeper builds the
 * input from the chain (pool-state.ts) and its forecasts (forecasting.ts), and turns the plan's orders
 * into transactions (keeper.ts); the rules (floors, costs, bounds, explanations) are the rebalancer's.
 */
export { plan } from "../liquidity/rebalance/index.js";
export { MODES } from "../liquidity/rebalance/modes.js";
export type { Finding, Floor, Mode, Order, OrderStatus, Plan, PlanInput, PoolInput, RebalanceCall } from "../liquidity/rebalance/index.js";
