/**
 * Hand-made planning inputs with round numbers, so each test can write its expected answer out.
 * Prices: ₦1,000 = $1 (so ₦1M = $1,000), USDC $1, XAUt $4,000. Idle-float rate 0 unless a test sets
 * one, so the only costs are the ones the test is about.
 */
import type { CostInput, OutflowForecast, PlanInput, PoolAssetInput, PoolBounds, PoolInput } from "../../../../agents/liquidity/rebalance/index.js";

export const PRICES = { cNGN: 0.001, USDC: 1, XAUt: 4_000 };

export function costs(overrides: Partial<CostInput> = {}): CostInput {
  return {
    pricesUsd: { ...PRICES },
    gasPriceWeibar: 430_000_000_000, // 43 tinybar per gas
    hbarUsd: 0.2,
    rebalanceGas: 121_421,
    idleFloatAnnualRate: { "*": 0 },
    valueHaircutBps: 0,
    ...overrides,
  };
}

/** A daily forecast whose P50 and P90 are the given per-day values. */
export function daily(p50: number[], p90: number[], extra: Record<string, number[]> = {}): OutflowForecast {
  return { stepHours: 24, quantiles: { "0.1": p50.map((v) => v * 0.5), "0.5": p50, "0.9": p90, ...extra } };
}

/** A forecast whose floor over `steps` steps (sum of P90s) is exactly `floor`. */
export function floorOf(floor: number, steps = 1): OutflowForecast {
  const each = Array.from({ length: steps }, () => floor / steps);
  return daily(each.map((v) => v / 2), each);
}

export const BOUNDS: PoolBounds = { maxRebalanceBps: 1_000, spreadBps: 10, imbalanceSlope: 0.2 };

/** A pool with the protocol's default bounds; `null` for a float with no pool contract (no calls, no caps). */
export function pool(id: string, chain: string, assets: PoolAssetInput[], bounds: PoolBounds | null = BOUNDS): PoolInput {
  return { id, chain, assets, ...(bounds ? { bounds } : {}) };
}

export function input(pools: PoolInput[], rest: Partial<PlanInput> = {}): PlanInput {
  return { now: "2026-03-02T06:00:00Z", mode: "automatic", pools, costs: costs(), ...rest };
}

export const near = (actual: number, expected: number, tolerance = 1e-6) =>
  Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
