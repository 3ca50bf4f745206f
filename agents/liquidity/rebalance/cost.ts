/**
 * What moving liquidity costs, in US dollars, with the prices passed in. Four parts, each with its
 * source (agents/liquidity/docs/rebalance.md has the full list):
 *
 * - Swap spread and imbalance fees: the pool's own pricing (contracts/libraries/PoolMath.sol), ported
 *   to floating point: spread = spreadBps of the gross output; an input that pushes an asset above its
 *   target pays slope·(e1² − e0²)/(2·target); an output that opens a shortfall below target pays
 *   slope·(s1² − s0²)/(2·target). A keeper `rebalance` pays neither: it trades at the oracle rate.
 * - CCTP: Standard Transfers are free; Fast Transfers cost 0–14 bps by source chain
 *   (developers.circle.com/cctp/concepts/fees; per-chain table in circlefin/cctp-go docs).
 * - Gas at Hedera's gas price: the relay reports the gas price in weibar (1 HBAR = 10^8 tinybar =
 *   10^18 weibar, sdk/gas.ts); dollars = gas · weibar/gas / 10^18 · HBAR/USD.
 * - Idle float: money held in a pool above need, or in transit, earns nothing; it is charged at an
 *   annual rate per asset (configurable), pro rata over the time it is held.
 */
import { tinybarToWeibar } from "../../../sdk/gas.js";
import type { CostInput, RouteKind } from "./types.js";

export const WEIBAR_PER_HBAR = 1e18;
const BPS = 10_000;
const HOURS_PER_YEAR = 24 * 365;

/**
 * Hedera's historic price of gas for a ContractCall, US dollars per gas (docs.hedera.com, "Gas and
 * fees": $0.0000000852 per gas). Hedera fixes gas in USD and converts to HBAR at the exchange rate of
 * the day, so the weibar price moves with HBAR. Re-measure with eth_gasPrice on the network you use.
 */
export const HEDERA_USD_PER_GAS = 0.0000000852;

/** Gas of one `pool.rebalance` call as measured by `npm run bench:gas` (bench/results/gas.json, "rebalance"). */
export const REBALANCE_GAS = 121_421;

/** Gas price in weibar per gas for a USD price per gas and an HBAR price, rounded to whole tinybars (Hedera has no smaller unit). */
export function hederaGasPriceWeibar(hbarUsd: number, usdPerGas = HEDERA_USD_PER_GAS): bigint {
  if (!(hbarUsd > 0)) throw new RangeError(`HBAR price must be positive, got ${hbarUsd}`);
  const tinybarPerGas = Math.round((usdPerGas / hbarUsd) * 1e8);
  return tinybarToWeibar(BigInt(tinybarPerGas));
}

export function gasUsd(gas: number, costs: Pick<CostInput, "gasPriceWeibar" | "hbarUsd">): number {
  return (gas * costs.gasPriceWeibar * costs.hbarUsd) / WEIBAR_PER_HBAR;
}

/** CCTP V2 Fast Transfer fee by source chain, basis points (Standard is always 0). */
export const CCTP_FAST_FEE_BPS: Readonly<Record<string, number>> = {
  ethereum: 1,
  arbitrum: 1,
  base: 1,
  optimism: 1,
  linea: 14,
};

/** Chains whose Standard Transfer is already fast (instant finality): Fast Transfer is not offered. */
export const CCTP_INSTANT_FINALITY = new Set(["avalanche"]);

/**
 * Fee in bps of a CCTP move from `sourceChain`. Fast from an unknown chain takes the top of Circle's
 * published range (14 bps) rather than guessing low; the keeper should read the live fee from Iris
 * (GET /v2/burn/USDC/fees/{src}/{dst}) and pass it as the route's feeBps.
 */
export function cctpFeeBps(sourceChain: string, kind: Exclude<RouteKind, "same-chain">): number {
  if (kind === "cctp-standard") return 0;
  if (CCTP_INSTANT_FINALITY.has(sourceChain)) {
    throw new RangeError(`CCTP Fast Transfer is not offered from ${sourceChain} (instant finality); use Standard`);
  }
  return CCTP_FAST_FEE_BPS[sourceChain] ?? 14;
}

export function feeUsd(valueUsd: number, feeBps: number): number {
  return (valueUsd * feeBps) / BPS;
}

export function idleFloatRate(asset: string, costs: Pick<CostInput, "idleFloatAnnualRate">): number {
  const rate = costs.idleFloatAnnualRate[asset] ?? costs.idleFloatAnnualRate["*"];
  if (rate === undefined) throw new RangeError(`no idle-float rate for ${asset} and no default ("*")`);
  return rate;
}

/** Cost of holding `valueUsd` idle for `hours` at an annual rate (simple interest, pro rata). */
export function carryUsd(valueUsd: number, hours: number, annualRate: number): number {
  return (valueUsd * annualRate * hours) / HOURS_PER_YEAR;
}

// ---------------------------------------------------------------- swap fees (PoolMath in floating point)

/** Imbalance fee, in the asset's units, for adding `amountIn` to `reserve` (PoolMath.excessFee). */
export function excessFee(reserve: number, target: number, amountIn: number, slope: number): number {
  const after = reserve + amountIn;
  if (target <= 0 || slope === 0 || after <= target) return 0;
  const e0 = Math.max(0, reserve - target);
  const e1 = after - target;
  return (slope * (e1 - e0) * (e1 + e0)) / (2 * target);
}

/** Imbalance fee, in the asset's units, for paying `amountOut` from `reserve` (the shortfall it opens). */
export function shortfallFee(reserve: number, target: number, amountOut: number, slope: number): number {
  if (target <= 0 || slope === 0) return 0;
  const s0 = Math.max(0, target - reserve);
  const s1 = Math.max(0, target - reserve + amountOut);
  return (slope * (s1 - s0) * (s1 + s0)) / (2 * target);
}

export interface SwapLeg {
  reserve: number;
  target: number;
  priceUsd: number;
}

/**
 * USD cost of a swap that delivers `amountOut` of the out asset: spread on the gross output, the
 * in-side excess fee and the out-side shortfall fee, all valued at the oracle price. Also returns
 * how much of the in asset the keeper puts in. First order in the fees (the fee on the fee is
 * ignored): exact to well under a basis point for fees of a few percent.
 */
export function swapCost(
  legIn: SwapLeg,
  legOut: SwapLeg,
  amountOut: number,
  spreadBps: number,
  slope: number,
): { costUsd: number; amountIn: number } {
  const outFeeUnits = shortfallFee(legOut.reserve, legOut.target, amountOut, slope);
  const grossOut = (amountOut + outFeeUnits) / (1 - spreadBps / BPS);
  const amountInBeforeInFee = (grossOut * legOut.priceUsd) / legIn.priceUsd;
  const inFeeUnits = excessFee(legIn.reserve, legIn.target, amountInBeforeInFee, slope);
  const amountIn = amountInBeforeInFee + inFeeUnits;
  return { costUsd: amountIn * legIn.priceUsd - amountOut * legOut.priceUsd, amountIn };
}

/** A piece of a convex cost curve: up to `capacityUsd` of value at `costPerUsd` per dollar. */
export interface CostSegment {
  capacityUsd: number;
  costPerUsd: number;
}

/**
 * Splits a convex fee curve `feeUsd(valueUsd)` on [0, capacityUsd] into `pieces` linear segments
 * whose costs are the curve's average slope on each piece: exact at the piece ends, increasing
 * because the curve is convex, so a min-cost flow uses them in order.
 */
export function convexSegments(feeUsdAt: (valueUsd: number) => number, capacityUsd: number, pieces = 4): CostSegment[] {
  if (!(capacityUsd > 0)) return [];
  const segments: CostSegment[] = [];
  const width = capacityUsd / pieces;
  for (let k = 0; k < pieces; k++) {
    const a = k * width;
    const b = (k + 1) * width;
    segments.push({ capacityUsd: width, costPerUsd: Math.max(0, (feeUsdAt(b) - feeUsdAt(a)) / width) });
  }
  return segments;
}
