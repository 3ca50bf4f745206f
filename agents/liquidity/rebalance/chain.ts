/**
 * Between the chain and the planner: a pool's views (`assets()`, `reserves()`, `priceOf()`,
 * `totalValue()`, `params()`) as a PoolInput in whole units, and a planned call back in base units.
 * Pure: the keeper does the reads and the sends.
 */
import type { PoolAssetInput, PoolInput, RebalanceCall } from "./types.js";

const WAD = 10n ** 18n;

export interface PoolAssetView {
  symbol: string;
  token: `0x${string}`;
  decimals: number;
  weightBps: number;
  /** `reserves()[i]`, base units. */
  reserve: bigint;
  /** `priceOf(token)`: USD (the numeraire) per whole token, WAD. */
  priceWad: bigint;
}

export interface PoolView {
  id: string;
  label?: string;
  chain: string;
  assets: PoolAssetView[];
  /** `totalValue()`, WAD. */
  totalValueWad: bigint;
  /** `params()`. */
  params: { spreadBps: number; imbalanceSlope: bigint; maxRebalanceBps: number };
}

/** Whole units of a base-unit amount (exact enough for planning: doubles carry 15–16 digits). */
export const wholeUnits = (amount: bigint, decimals: number) => Number(amount) / 10 ** decimals;

/**
 * The pool as the planner sees it. Targets are computed the way `_checkRebalance` does — weight ×
 * current pool value / current price — not read from `targets()`, which is only synced by deposits,
 * withdrawals and rebalances and lags the value swap fees have added since.
 */
export function poolInputFromChain(view: PoolView, extra: Record<string, Partial<PoolAssetInput>> = {}): { pool: PoolInput; pricesUsd: Record<string, number> } {
  const pricesUsd: Record<string, number> = {};
  const assets: PoolAssetInput[] = view.assets.map((a) => {
    pricesUsd[a.symbol] = Number(a.priceWad) / 1e18;
    const scale = 10n ** BigInt(18 - a.decimals);
    // PoolMath.fromValue(poolValue * weight / BPS, scale, price) = value * WAD / (price * scale), rounded down.
    const targetBase = ((view.totalValueWad * BigInt(a.weightBps)) / 10_000n) * WAD / (a.priceWad * scale);
    return {
      asset: a.symbol,
      holding: wholeUnits(a.reserve, a.decimals),
      target: wholeUnits(targetBase, a.decimals),
      ...extra[a.symbol],
    };
  });
  return {
    pool: {
      id: view.id,
      ...(view.label ? { label: view.label } : {}),
      chain: view.chain,
      bounds: {
        maxRebalanceBps: view.params.maxRebalanceBps,
        spreadBps: view.params.spreadBps,
        imbalanceSlope: Number(view.params.imbalanceSlope) / 1e18,
      },
      assets,
    },
    pricesUsd,
  };
}

/**
 * A planned call in base units, both amounts rounded down: less in keeps tokenIn at or under its
 * target, less out keeps value out under value in. amountIn is also shaved by one part in a billion,
 * so that a plan computed in doubles up to exactly the target cannot land a unit above it. Refuses a
 * call that rounds to zero.
 */
export function callToBaseUnits(call: RebalanceCall, tokens: Record<string, { token: `0x${string}`; decimals: number }>) {
  const tin = tokens[call.tokenIn];
  const tout = tokens[call.tokenOut];
  if (!tin || !tout) throw new RangeError(`no token address for ${tin ? call.tokenOut : call.tokenIn}`);
  const amountIn = BigInt(Math.floor(call.amountIn * (1 - 1e-9) * 10 ** tin.decimals));
  const amountOut = BigInt(Math.floor(call.amountOut * 10 ** tout.decimals));
  if (amountIn === 0n || amountOut === 0n) throw new RangeError(`call on ${call.pool} rounds to zero (${call.amountIn} ${call.tokenIn} for ${call.amountOut} ${call.tokenOut})`);
  return { tokenIn: tin.token, amountIn, tokenOut: tout.token, amountOut };
}
