/**
 * Turns an allocation into the `pool.rebalance` calls that carry it out, within each pool's on-chain
 * bounds (LiquidityPool._checkRebalance):
 *
 * - the asset brought in may not end above its target: a receiving pool takes at most target − holding;
 * - the asset taken out may not end below its target: a source pool gives only what is above target;
 * - value out ≤ value in at the oracle price: the keeper keeps back `valueHaircutBps` on each call;
 * - value in ≤ maxRebalanceBps of pool value: a larger move is split into several calls.
 *
 * In a receiving pool the keeper takes back assets above their targets (largest excess first); in a
 * source pool it brings assets below their targets (largest gap first). The keeper's own inventory
 * bridges the two legs. Pool states are updated call by call, so two orders touching the same pool
 * never plan on the same headroom. A pool without a contract (`bounds` absent) gets no calls.
 */
import { priceOf } from "./optimiser.js";
import { swapCost } from "./cost.js";
import type { CostInput, PoolInput, RebalanceCall, SwapCall } from "./types.js";

const BPS = 10_000;
const EPS_USD = 1e-6;

/** Mutable copy of the pools' holdings, shared across all orders of one plan. */
export class PoolLedger {
  private readonly holdings = new Map<string, Map<string, number>>();
  private readonly pools = new Map<string, PoolInput>();

  constructor(pools: readonly PoolInput[], private readonly costs: CostInput) {
    for (const pool of pools) {
      this.pools.set(pool.id, pool);
      this.holdings.set(pool.id, new Map(pool.assets.map((a) => [a.asset, a.holding])));
    }
  }

  holding(pool: string, asset: string): number {
    return this.holdings.get(pool)?.get(asset) ?? 0;
  }

  private add(pool: string, asset: string, delta: number) {
    this.holdings.get(pool)!.set(asset, this.holding(pool, asset) + delta);
  }

  /** Pool value in USD at the plan's prices: what `totalValue()` returns, and what maxRebalanceBps is a share of. */
  valueUsd(pool: PoolInput): number {
    return pool.assets.reduce((sum, a) => sum + this.holding(pool.id, a.asset) * priceOf(this.costs, a.asset), 0);
  }

  /** Brings `amount` of `asset` into `pool`; returns the calls and the units it could not take. */
  bringIn(pool: PoolInput, asset: string, amount: number): { calls: RebalanceCall[]; undelivered: number } {
    if (!pool.bounds) return { calls: [], undelivered: 0 };
    const haircut = (this.costs.valueHaircutBps ?? 1) / BPS;
    const priceIn = priceOf(this.costs, asset);
    const cap = (this.valueUsd(pool) * pool.bounds.maxRebalanceBps) / BPS;
    const calls: RebalanceCall[] = [];
    // The asset brought in may not end above its target (RebalanceWorsensImbalance).
    const takeUsd = Math.min(amount * priceIn, this.roomUsd(pool, asset));
    let remainingUsd = takeUsd;
    const counters = pool.assets
      .filter((a) => a.asset !== asset)
      .map((a) => ({ asset: a.asset, excessUsd: this.excessUsd(pool, a.asset) }))
      .sort((x, y) => y.excessUsd - x.excessUsd || x.asset.localeCompare(y.asset));
    for (const counter of counters) {
      let excess = counter.excessUsd;
      while (remainingUsd > EPS_USD && excess > EPS_USD && cap > EPS_USD) {
        const valueIn = Math.min(remainingUsd, cap, excess / (1 - haircut));
        const priceOut = priceOf(this.costs, counter.asset);
        const call = { pool: pool.id, tokenIn: asset, amountIn: valueIn / priceIn, tokenOut: counter.asset, amountOut: (valueIn * (1 - haircut)) / priceOut };
        calls.push(call);
        this.add(pool.id, asset, call.amountIn);
        this.add(pool.id, counter.asset, -call.amountOut);
        remainingUsd -= valueIn;
        excess -= valueIn * (1 - haircut);
      }
    }
    return { calls, undelivered: (amount * priceIn - takeUsd + Math.max(0, remainingUsd)) / priceIn };
  }

  /** Takes `amount` of `asset` out of `pool`, bringing in what the pool is short of. */
  takeOut(pool: PoolInput, asset: string, amount: number): { calls: RebalanceCall[]; undelivered: number } {
    if (!pool.bounds) {
      this.add(pool.id, asset, -amount);
      return { calls: [], undelivered: 0 };
    }
    const haircut = (this.costs.valueHaircutBps ?? 1) / BPS;
    const priceOut = priceOf(this.costs, asset);
    const cap = (this.valueUsd(pool) * pool.bounds.maxRebalanceBps) / BPS;
    const calls: RebalanceCall[] = [];
    let remainingUsd = amount * priceOut;
    const payers = pool.assets
      .filter((a) => a.asset !== asset)
      .map((a) => ({ asset: a.asset, roomUsd: this.roomUsd(pool, a.asset) }))
      .sort((x, y) => y.roomUsd - x.roomUsd || x.asset.localeCompare(y.asset));
    for (const payer of payers) {
      let room = payer.roomUsd;
      while (remainingUsd > EPS_USD && room > EPS_USD && cap > EPS_USD) {
        // valueIn = valueOut / (1 − haircut) must fit both the per-call cap and the payer's room below target.
        const valueOut = Math.min(remainingUsd, cap * (1 - haircut), room * (1 - haircut));
        const valueIn = valueOut / (1 - haircut);
        const priceIn = priceOf(this.costs, payer.asset);
        const call = { pool: pool.id, tokenIn: payer.asset, amountIn: valueIn / priceIn, tokenOut: asset, amountOut: valueOut / priceOut };
        calls.push(call);
        this.add(pool.id, payer.asset, call.amountIn);
        this.add(pool.id, asset, -call.amountOut);
        remainingUsd -= valueOut;
        room -= valueIn;
      }
    }
    return { calls, undelivered: Math.max(0, remainingUsd) / priceOut };
  }

  /** A treasury swap of `fromAsset` for `amount` of `asset` in `pool` (spread and imbalance fees, PoolMath in floats). */
  swap(pool: PoolInput, fromAsset: string, asset: string, amount: number): { call: SwapCall; costUsd: number } {
    const bounds = pool.bounds!;
    const legOf = (a: string) => ({
      reserve: this.holding(pool.id, a),
      target: pool.assets.find((x) => x.asset === a)?.target ?? 0,
      priceUsd: priceOf(this.costs, a),
    });
    const { costUsd, amountIn } = swapCost(legOf(fromAsset), legOf(asset), amount, bounds.spreadBps, bounds.imbalanceSlope);
    this.add(pool.id, fromAsset, amountIn);
    this.add(pool.id, asset, -amount);
    return { call: { pool: pool.id, tokenIn: fromAsset, amountIn, tokenOut: asset, amountOut: amount }, costUsd };
  }

  /** Value above target a pool can hand back (no target: all of it). */
  private excessUsd(pool: PoolInput, asset: string): number {
    const target = pool.assets.find((a) => a.asset === asset)?.target;
    const held = this.holding(pool.id, asset);
    return Math.max(0, held - (target ?? 0)) * priceOf(this.costs, asset);
  }

  /** Value a pool may take in before reaching target (no target: unbounded). */
  private roomUsd(pool: PoolInput, asset: string): number {
    const target = pool.assets.find((a) => a.asset === asset)?.target;
    if (target === undefined) return Infinity;
    return Math.max(0, target - this.holding(pool.id, asset)) * priceOf(this.costs, asset);
  }
}
