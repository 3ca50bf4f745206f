/**
 * The safety floor of a pool's asset: the chosen quantile (default P90) of forecast net outflow over
 * the replenishment lead time plus the review period. Below it, the pool may run dry before the next
 * replenishment can arrive; orders bring it back to the floor (it is the order-up-to level).
 *
 * Forecasts come as per-step quantiles; the floor needs a quantile of the SUM over the horizon, which
 * per-step quantiles do not determine. Two rules, chosen in the plan's config:
 *
 * - "sum-of-quantiles" (default): Σ_h q_p(h). Exact when the steps move together (comonotonic errors,
 *   e.g. a whole week running high); above the true quantile of the sum when they are independent and
 *   roughly symmetric, which is the usual case at p > 0.5 — so it errs toward holding more. It is not a
 *   theorem for every distribution (quantiles are not subadditive in general, e.g. very heavy tails).
 * - "independent": Σ_h q_0.5(h) + √(Σ_h (q_p(h) − q_0.5(h))²): the quantile of a sum of independent,
 *   normal-like steps. Lower, so less float; right only when errors do not persist from step to step.
 *
 * The backtest tunes the choice and the level on the training window (bench/rebalance.ts).
 */
import type { OutflowForecast, PlanConfig } from "./types.js";

export const DEFAULT_FLOOR_QUANTILE = 0.9;

export class ForecastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ForecastError";
  }
}

/** The forecast's values at quantile `level` per step, interpolating linearly between given levels. */
export function quantileSteps(forecast: OutflowForecast, level: number, what = "forecast"): number[] {
  const levels = Object.keys(forecast.quantiles)
    .map(Number)
    .filter((l) => Number.isFinite(l))
    .sort((a, b) => a - b);
  if (levels.length === 0) throw new ForecastError(`${what} has no quantiles`);
  const lo = levels[0]!;
  const hi = levels[levels.length - 1]!;
  if (level < lo || level > hi) {
    throw new ForecastError(`${what} has quantiles ${levels.join(", ")}; it cannot give ${level} (ask the forecaster for it)`);
  }
  const row = (l: number) => forecast.quantiles[keyOf(forecast, l)]!;
  const exact = levels.find((l) => Math.abs(l - level) < 1e-12);
  if (exact !== undefined) return Array.from(row(exact));
  const upperIndex = levels.findIndex((l) => l > level);
  const a = levels[upperIndex - 1]!;
  const b = levels[upperIndex]!;
  const w = (level - a) / (b - a);
  const ra = row(a);
  const rb = row(b);
  return ra.map((v, h) => v + w * (rb[h]! - v));
}

function keyOf(forecast: OutflowForecast, level: number): string {
  return Object.keys(forecast.quantiles).find((k) => Number(k) === level)!;
}

export interface FloorResult {
  floor: number;
  medianOutflow: number;
}

/**
 * Floor over the first `horizonSteps` steps of `forecast` at quantile `level` (never below 0: a
 * forecast net inflow does not let the pool go negative).
 */
export function safetyFloor(
  forecast: OutflowForecast,
  horizonSteps: number,
  level: number,
  aggregation: NonNullable<PlanConfig["aggregation"]> = "sum-of-quantiles",
  what = "forecast",
): FloorResult {
  if (!Number.isInteger(horizonSteps) || horizonSteps < 1) throw new RangeError(`horizon must be a whole number of steps ≥ 1, got ${horizonSteps}`);
  if (!(level > 0 && level < 1)) throw new RangeError(`floor quantile must be in (0, 1), got ${level}`);
  const upper = quantileSteps(forecast, level, what);
  if (upper.length < horizonSteps) {
    throw new ForecastError(`${what} covers ${upper.length} steps; the floor needs ${horizonSteps} (lead time + review period)`);
  }
  const median = quantileSteps(forecast, 0.5, what);
  let medianSum = 0;
  let quantileSum = 0;
  let spreadSquares = 0;
  for (let h = 0; h < horizonSteps; h++) {
    const m = median[h]!;
    const q = upper[h]!;
    if (!Number.isFinite(m) || !Number.isFinite(q)) throw new ForecastError(`${what} has a non-finite value at step ${h}`);
    medianSum += m;
    quantileSum += q;
    spreadSquares += (q - m) ** 2;
  }
  const raw = aggregation === "independent" ? medianSum + Math.sign(level - 0.5) * Math.sqrt(spreadSquares) : quantileSum;
  return { floor: Math.max(0, raw), medianOutflow: medianSum };
}
