/**
 * Naive (last value) and seasonal naive (the value one season back) forecasters, with quantiles
 * from their own in-sample errors widened like a random walk: √h for naive, √⌈h/m⌉ for seasonal.
 */
import { checkedValues, checkHorizon, seasonFor } from "../history.js";
import { residualQuantiles } from "../quantiles.js";
import type { Forecaster, SeriesForecast, SeriesHistory } from "../types.js";

export function naiveForecast(values: Float64Array, horizon: number): { point: Float64Array; residuals: Float64Array } {
  const point = new Float64Array(horizon).fill(values[values.length - 1]);
  const residuals = new Float64Array(Math.max(0, values.length - 1));
  for (let t = 1; t < values.length; t++) residuals[t - 1] = values[t] - values[t - 1];
  return { point, residuals };
}

export function seasonalNaiveForecast(values: Float64Array, horizon: number, m: number): { point: Float64Array; residuals: Float64Array } {
  const n = values.length;
  const point = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) point[h] = values[n - m + (h % m)];
  const residuals = new Float64Array(Math.max(0, n - m));
  for (let t = m; t < n; t++) residuals[t - m] = values[t] - values[t - m];
  return { point, residuals };
}

export function naive(): Forecaster {
  return {
    name: "naive",
    async forecast(histories: SeriesHistory[], horizon: number): Promise<SeriesForecast[]> {
      checkHorizon(horizon);
      return histories.map((h) => {
        const { point, residuals } = naiveForecast(checkedValues(h, 2, "naive"), horizon);
        return { id: h.id, quantiles: residualQuantiles(point, residuals, (k) => Math.sqrt(k)) };
      });
    },
  };
}

/**
 * Seasonal naive. The period defaults to the step's season (7 for days, 24 for hours); pass 168 for
 * an hourly series' weekly season.
 */
export function seasonalNaive(opts: { period?: number; name?: string } = {}): Forecaster {
  return {
    name: opts.name ?? (opts.period ? `seasonal_naive_${opts.period}` : "seasonal_naive"),
    async forecast(histories: SeriesHistory[], horizon: number): Promise<SeriesForecast[]> {
      checkHorizon(horizon);
      return histories.map((h) => {
        const m = opts.period ?? seasonFor(h.step);
        const values = checkedValues(h, m + 1, "seasonal naive");
        const { point, residuals } = seasonalNaiveForecast(values, horizon, m);
        return { id: h.id, quantiles: residualQuantiles(point, residuals, (k) => Math.sqrt(Math.ceil(k / m))) };
      });
    },
  };
}
