/**
 * Quantiles for point forecasters, from their own in-sample errors: the empirical quantiles of the
 * one-step residuals, widened with the horizon by a multiplier the method supplies (√h for a random
 * walk, √⌈h/m⌉ for a seasonal one, the state-space variance ratio for ETS).
 */
import { REQUIRED_QUANTILES } from "./types.js";

/** Levels every baseline returns: the required three and the two the rebalancer wants for a < 0.5 % failure target. */
export const BASELINE_LEVELS: readonly number[] = [...REQUIRED_QUANTILES, 0.95, 0.99];

/** The q-quantile of sorted values (linear interpolation, type 7 as in R and numpy). */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, n - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * Quantile paths around a point forecast. `residuals` are one-step in-sample errors (actual − fit);
 * their median is removed so the P50 stays the point forecast. Values are floored at `floor` (cash
 * demand is not negative).
 */
export function residualQuantiles(
  point: Float64Array,
  residuals: ArrayLike<number>,
  widen: (h: number) => number,
  levels: readonly number[] = BASELINE_LEVELS,
  floor = 0,
): Map<number, Float64Array> {
  const sorted = Float64Array.from(residuals).filter(Number.isFinite).sort();
  const mid = quantileSorted(sorted, 0.5);
  const out = new Map<number, Float64Array>();
  for (const q of levels) {
    const offset = q === 0.5 ? 0 : quantileSorted(sorted, q) - mid;
    const path = new Float64Array(point.length);
    for (let h = 0; h < point.length; h++) path[h] = Math.max(floor, point[h] + offset * widen(h + 1));
    out.set(q, path);
  }
  return out;
}

/** Re-sorts quantile paths step by step so a higher level is never below a lower one. */
export function uncross(quantiles: Map<number, Float64Array>): Map<number, Float64Array> {
  const levels = [...quantiles.keys()].sort((a, b) => a - b);
  const horizon = quantiles.get(levels[0])!.length;
  const col = new Float64Array(levels.length);
  for (let h = 0; h < horizon; h++) {
    levels.forEach((q, i) => (col[i] = quantiles.get(q)![h]));
    col.sort();
    levels.forEach((q, i) => (quantiles.get(q)![h] = col[i]));
  }
  return quantiles;
}
