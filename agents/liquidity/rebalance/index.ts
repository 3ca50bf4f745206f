/**
 * The rebalancer's planner: pure and deterministic. Given pools' holdings, forecasts of net outflow,
 * on-chain bounds, sources, prices and costs, it returns each pool asset's safety floor, the orders
 * that restore the floors at least cost (split into calls within the bounds), what it could not do,
 * and a sentence for each. Same input, same output, same order ids: the keeper can re-plan after a
 * restart without duplicating an order. It reads no clock, no network and no randomness.
 */
import { createHash } from "node:crypto";

import { PoolLedger } from "./calls.js";
import { gasUsd, idleFloatRate, REBALANCE_GAS } from "./cost.js";
import { explainFinding, explainOrder } from "./explain.js";
import { DEFAULT_FLOOR_QUANTILE, safetyFloor } from "./floor.js";
import { initialStatus } from "./modes.js";
import { optimise, priceOf, sinkKey, type Allocation, type Sink } from "./optimiser.js";
import type { Finding, Floor, Order, Plan, PlanInput, PoolInput } from "./types.js";

export * from "./types.js";
export { initialStatus, transition, canTransition, isSendable, isFinal, parseMode, OrderTransitionError, type OrderEvent } from "./modes.js";
export { rephrase, rephraseFromEnv, keepsNumbers } from "./rephrase.js";
export { compact, money } from "./explain.js";
export { cctpFeeBps, hederaGasPriceWeibar, HEDERA_USD_PER_GAS, REBALANCE_GAS } from "./cost.js";
export { safetyFloor, quantileSteps, ForecastError } from "./floor.js";

const SWAP_GAS = 105_968;
const DEFAULT_CROSS_CHAIN_GAS_USD = 0.1;
const BPS = 10_000;

export class PlanInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanInputError";
  }
}

/** Order id: the pool, asset and planning time it serves, and where its money comes from. */
export function orderId(now: string, pool: string, asset: string, source: string, route: string, swapPool = ""): string {
  const digest = createHash("sha256").update([now, pool, asset, source, route, swapPool].join("\n")).digest("hex");
  return `rb-${digest.slice(0, 20)}`;
}

export function plan(input: PlanInput): Plan {
  validate(input);
  const config = input.config ?? {};
  const quantile = config.floorQuantile ?? DEFAULT_FLOOR_QUANTILE;
  const tolerance = config.toleranceUsd ?? 1;
  const minOrderUsd = config.minOrderUsd ?? 50;
  const pools = new Map(input.pools.map((p) => [p.id, p]));
  const findings: Finding[] = [];
  const addFinding = (f: Omit<Finding, "text">, detail: Parameters<typeof explainFinding>[2] = {}) =>
    findings.push({ ...f, text: explainFinding(f, pools, detail) });

  // 1. Floors, and what each pool can take by keeper rebalance.
  const floors = new Map<string, Floor>();
  const sinks: Sink[] = [];
  for (const pool of input.pools) {
    for (const asset of pool.assets) {
      if (!asset.forecast) continue;
      const leadTimeSteps = asset.leadTimeSteps ?? 0;
      const horizonSteps = leadTimeSteps + (asset.reviewSteps ?? 1);
      const what = `forecast for ${pool.id}/${asset.asset}`;
      const { floor, medianOutflow } = safetyFloor(asset.forecast, horizonSteps, quantile, config.aggregation, what);
      const inTransit = asset.inTransit ?? 0;
      const gap = Math.max(0, floor - asset.holding - inTransit);
      const record: Floor = {
        pool: pool.id,
        asset: asset.asset,
        medianOutflow,
        floor,
        quantile,
        horizonSteps,
        stepHours: asset.forecast.stepHours,
        holding: asset.holding,
        inTransit,
        gap,
        idleCostPerDayUsd: (floor * priceOf(input.costs, asset.asset) * idleFloatRate(asset.asset, input.costs)) / 365,
      };
      floors.set(sinkKey(pool.id, asset.asset), record);
      if (gap * priceOf(input.costs, asset.asset) <= tolerance) continue;
      let deliverable = gap;
      if (asset.target !== undefined) {
        deliverable = Math.min(gap, Math.max(0, asset.target - asset.holding - inTransit));
        if (gap - deliverable > 0) {
          addFinding({ kind: "floor-above-target", pool: pool.id, asset: asset.asset, amount: gap - deliverable }, { floor: record, target: asset.target });
        }
      }
      if (deliverable > 0) sinks.push({ pool, asset, floor: record, deliverable, leadTimeSteps, stepHours: asset.forecast.stepHours });
    }
  }

  // 2. Who fills what, at least cost.
  const result = optimise(input.pools, floors, sinks, input.treasuries ?? [], input.routes ?? [], input.costs, config);

  // 3. Orders: calls within the bounds, costs, ids, status, explanation.
  const ledger = new PoolLedger(input.pools, input.costs);
  const status = initialStatus(input.mode);
  const orders: Order[] = [];
  const short = new Map(result.short);
  for (const allocation of sortAllocations(result.allocations)) {
    const key = sinkKey(allocation.sink.pool.id, allocation.sink.asset.asset);
    if (allocation.valueUsd < minOrderUsd) {
      addFinding(
        { kind: "below-minimum", pool: allocation.sink.pool.id, asset: allocation.sink.asset.asset, amount: allocation.amount },
        { minOrderUsd, valueUsd: allocation.valueUsd },
      );
      continue;
    }
    const order = buildOrder(input, allocation, ledger, status);
    const undelivered = allocation.amount - order.amount;
    if (undelivered > 0) short.set(key, (short.get(key) ?? 0) + undelivered);
    const floor = floors.get(key)!;
    order.explanation = explainOrder(order, floor, pools, allocation.sink.asset.reasons);
    orders.push(order);
  }

  for (const [key, missing] of [...short].sort(([a], [b]) => a.localeCompare(b))) {
    const floor = floors.get(key)!;
    if (missing * priceOf(input.costs, floor.asset) <= tolerance) continue;
    addFinding({ kind: "short", pool: floor.pool, asset: floor.asset, amount: missing }, { floor });
  }
  if (input.mode === "paused" && orders.length > 0) addFinding({ kind: "paused" }, { orders: orders.length });

  return {
    now: input.now,
    mode: input.mode,
    floors: [...floors.values()],
    orders,
    findings,
    explanations: [...orders.map((o) => o.explanation), ...findings.map((f) => f.text)],
    totalCostUsd: orders.reduce((sum, o) => sum + o.cost.totalUsd, 0),
  };
}

function sourceKey(a: Allocation): string {
  return a.source.kind === "pool" ? `pool:${a.source.pool.id}` : `treasury:${a.source.treasury.id}`;
}

function sortAllocations(allocations: Allocation[]): Allocation[] {
  const key = (a: Allocation) => [a.sink.pool.id, a.sink.asset.asset, sourceKey(a), a.route.kind, a.swapVia?.pool.id ?? ""].join("|");
  return [...allocations].sort((x, y) => key(x).localeCompare(key(y)));
}

function buildOrder(input: PlanInput, allocation: Allocation, ledger: PoolLedger, status: Order["status"]): Order {
  const { sink, source, route } = allocation;
  const asset = sink.asset.asset;
  const costs = input.costs;
  const calls: Order["calls"] = [];
  let swap: Order["swap"];
  let swapUsd = 0;
  let amount = allocation.amount;

  if (allocation.swapVia) {
    const swapped = ledger.swap(allocation.swapVia.pool, allocation.swapVia.fromAsset, asset, amount);
    swap = swapped.call;
    swapUsd = swapped.costUsd;
  } else if (source.kind === "pool") {
    const taken = ledger.takeOut(source.pool, asset, amount);
    calls.push(...taken.calls);
    amount -= taken.undelivered;
  }
  const brought = ledger.bringIn(sink.pool, asset, amount);
  calls.push(...brought.calls);
  amount -= brought.undelivered;

  const price = priceOf(costs, asset);
  const valueUsd = amount * price;
  const share = allocation.amount > 0 ? amount / allocation.amount : 0;
  const feeUsd = allocation.feeUsd * share;
  const carryUsd = allocation.carryUsd * share;
  const gas = calls.length * costs.rebalanceGas + (swap ? (costs.swapGas ?? SWAP_GAS) : 0);
  const gasCostUsd = gasUsd(gas, costs) + (route.kind === "same-chain" ? 0 : (costs.crossChainGasUsd ?? DEFAULT_CROSS_CHAIN_GAS_USD));
  const haircutUsd = calls.reduce((sum, c) => sum + c.amountIn * priceOf(costs, c.tokenIn) - c.amountOut * priceOf(costs, c.tokenOut), 0);
  const orderSource =
    source.kind === "pool"
      ? { kind: "pool" as const, id: source.pool.id, chain: source.pool.chain, asset }
      : { kind: "treasury" as const, id: source.treasury.id, chain: source.treasury.chain, asset: source.treasury.asset };
  return {
    id: orderId(input.now, sink.pool.id, asset, sourceKey(allocation), route.kind, allocation.swapVia?.pool.id),
    status,
    pool: sink.pool.id,
    chain: sink.pool.chain,
    asset,
    amount,
    amountUsd: valueUsd,
    source: orderSource,
    route: { kind: route.kind, feeBps: route.feeBps, leadTimeSteps: route.leadTimeSteps },
    ...(swap ? { swap } : {}),
    calls,
    cost: {
      feeUsd,
      swapUsd,
      carryUsd,
      gasUsd: gasCostUsd,
      haircutUsd,
      totalUsd: feeUsd + swapUsd + carryUsd + gasCostUsd + haircutUsd,
    },
    explanation: "",
  };
}

function validate(input: PlanInput): void {
  if (!input || typeof input !== "object") throw new PlanInputError("plan input must be an object");
  if (typeof input.now !== "string" || Number.isNaN(Date.parse(input.now))) throw new PlanInputError(`now must be an ISO 8601 time, got ${JSON.stringify(input.now)}`);
  if (!["automatic", "approve", "paused"].includes(input.mode)) throw new PlanInputError(`mode must be automatic, approve or paused, got ${JSON.stringify(input.mode)}`);
  const ids = new Set<string>();
  for (const pool of input.pools) {
    if (ids.has(pool.id)) throw new PlanInputError(`pool ${pool.id} appears twice`);
    ids.add(pool.id);
    if (pool.bounds && !(pool.bounds.maxRebalanceBps > 0 && pool.bounds.maxRebalanceBps <= BPS)) {
      throw new PlanInputError(`pool ${pool.id}: maxRebalanceBps must be in 1..10000, got ${pool.bounds.maxRebalanceBps}`);
    }
    for (const a of pool.assets) {
      if (!(Number.isFinite(a.holding) && a.holding >= 0)) throw new PlanInputError(`pool ${pool.id}/${a.asset}: holding must be a number ≥ 0, got ${a.holding}`);
      if (a.target !== undefined && !(a.target >= 0)) throw new PlanInputError(`pool ${pool.id}/${a.asset}: target must be ≥ 0, got ${a.target}`);
      priceOf(input.costs, a.asset);
    }
  }
  for (const t of input.treasuries ?? []) {
    if (!(t.available >= 0)) throw new PlanInputError(`treasury ${t.id}: available must be ≥ 0, got ${t.available}`);
    priceOf(input.costs, t.asset);
  }
  const c = input.costs;
  if (!(c.gasPriceWeibar >= 0 && c.hbarUsd > 0 && c.rebalanceGas > 0)) throw new PlanInputError("costs need gasPriceWeibar ≥ 0, hbarUsd > 0 and rebalanceGas > 0");
}
