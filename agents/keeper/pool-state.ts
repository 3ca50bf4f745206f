/**
 * What the keeper reads from a pool, all at one block: its assets, reserves, oracle prices, value and
 * rebalance bounds, and each asset's target at current prices, computed as the pool's own rebalance
 * check computes it (LiquidityPool._checkRebalance syncs targets to current prices first, so the stored
 * `targets()` may be stale).
 */
import { erc20Abi, formatUnits, type Address, type PublicClient } from "viem";

import { liquidityPoolAbi } from "../../sdk/abis.generated.js";

const WAD = 10n ** 18n;
const BPS = 10_000n;

export interface PoolAssetState {
  symbol: string;
  token: Address;
  decimals: number;
  weightBps: number;
  reserve: bigint;
  /** The reserve a rebalance may bring the asset up to (in) or down to (out), at current prices. */
  target: bigint;
  /** US dollars per whole token, WAD. */
  priceWad: bigint;
  /** The keeper's own balance of the asset (its inventory). */
  inventory: bigint;
}

export interface PoolState {
  name: string;
  address: Address;
  block: bigint;
  /** The block's time, ms. */
  timeMs: number;
  totalValueWad: bigint;
  params: { spreadBps: number; imbalanceSlope: bigint; maxRebalanceBps: number };
  assets: PoolAssetState[];
}

export const wholeUnits = (amount: bigint, decimals: number) => Number(formatUnits(amount, decimals));
export const priceUsd = (priceWad: bigint) => Number(formatUnits(priceWad, 18));

/** Base units of `whole` (a planner's float), rounded down: an order never asks for more than planned. */
export function baseUnits(whole: number, decimals: number): bigint {
  if (!Number.isFinite(whole) || whole <= 0) return 0n;
  const [int, frac = ""] = whole.toFixed(decimals).split(".");
  return BigInt(int! + frac.padEnd(decimals, "0").slice(0, decimals));
}

export async function readPool(
  client: PublicClient,
  pool: { name: string; address: Address },
  keeper: Address,
  symbols: ReadonlyMap<string, string>,
  blockNumber?: bigint,
): Promise<PoolState> {
  const block = await client.getBlock(blockNumber !== undefined ? { blockNumber } : {});
  const at = { address: pool.address, abi: liquidityPoolAbi, blockNumber: block.number } as const;
  const [assets, reserves, totalValue, params] = await Promise.all([
    client.readContract({ ...at, functionName: "assets" }),
    client.readContract({ ...at, functionName: "reserves" }),
    client.readContract({ ...at, functionName: "totalValue" }),
    client.readContract({ ...at, functionName: "params" }),
  ]);
  const states = await Promise.all(
    assets.map(async (a, i) => {
      const [decimals, priceWad, inventory, onChainSymbol] = await Promise.all([
        client.readContract({ address: a.token, abi: erc20Abi, functionName: "decimals", blockNumber: block.number }),
        client.readContract({ ...at, functionName: "priceOf", args: [a.token] }),
        client.readContract({ address: a.token, abi: erc20Abi, functionName: "balanceOf", args: [keeper], blockNumber: block.number }),
        symbols.has(a.token.toLowerCase()) ? Promise.resolve(undefined) : client.readContract({ address: a.token, abi: erc20Abi, functionName: "symbol" }),
      ]);
      const scale = 10n ** BigInt(18 - decimals);
      const target = ((totalValue * BigInt(a.weightBps)) / BPS) * WAD / (priceWad * scale);
      return {
        symbol: symbols.get(a.token.toLowerCase()) ?? onChainSymbol!,
        token: a.token,
        decimals,
        weightBps: a.weightBps,
        reserve: reserves[i]!,
        target,
        priceWad,
        inventory,
      } satisfies PoolAssetState;
    }),
  );
  return {
    name: pool.name,
    address: pool.address,
    block: block.number,
    timeMs: Number(block.timestamp) * 1000,
    totalValueWad: totalValue,
    params: { spreadBps: params.spreadBps, imbalanceSlope: params.imbalanceSlope, maxRebalanceBps: params.maxRebalanceBps },
    assets: states,
  };
}
