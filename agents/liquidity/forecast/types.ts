/**
 * The one contract between forecasters (baselines, the ONNX model) and their users (the bench,
 * the rebalancer, the backtest, the keeper). Everything is in the series' own units and steps.
 */

/** The quantile levels every forecaster returns at least. More may be added (e.g. 0.95, 0.99). */
export const REQUIRED_QUANTILES = [0.1, 0.5, 0.9] as const;

/** One series' history, oldest first, one value per step. No gaps (fill them before). */
export interface SeriesHistory {
  /** Stable id, e.g. "NN5-001" or "MTN-NG/agent-17/cNGN/cash-out". */
  id: string;
  /** Values, oldest first. */
  values: Float64Array | number[];
  /** Calendar date (UTC, ISO yyyy-mm-dd for daily; ISO hour for hourly) of the FIRST value. */
  start: string;
  /** Step length: "day" (NN5, pools' daily plan) or "hour" (keeper's flow table). */
  step: "day" | "hour";
  /** Country whose holidays matter (ISO 3166 alpha-2: "GB" for NN5, "NG", "KE"). */
  country?: string;
}

/** Forecast for one series: `quantiles[level][h]` for h = 0 … horizon−1 (the steps after the history). */
export interface SeriesForecast {
  id: string;
  /** Keys are quantile levels as numbers, always including 0.1, 0.5 and 0.9; values have `horizon` entries. */
  quantiles: Map<number, Float64Array>;
}

export interface Forecaster {
  /** Short name used in bench/results/forecast.json, e.g. "seasonal_naive", "ets", "theta", "onnx_mlp". */
  readonly name: string;
  /** Forecasts `horizon` steps after the end of each history. Must not look at anything else. */
  forecast(histories: SeriesHistory[], horizon: number): Promise<SeriesForecast[]>;
}
