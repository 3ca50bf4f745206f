/**
 * Training the model on NN5 with the protocol's split, and scoring a forecaster on a window: shared
 * by `npm run train:forecast` and `npm run bench:forecast`.
 */
import { dayNumber } from "../../calendar.js";
import { NN5_COUNTRY, type Nn5 } from "../nn5.js";
import { meanScores, scoreSeries, type SeriesScore } from "../scoring.js";
import type { Forecaster, SeriesForecast } from "../types.js";
import { trainEnsemble, type EnsembleConfig, type TrainedEnsemble } from "./ensemble-train.js";

/** Trains on every window whose targets end by day `end` (1-based, inclusive). */
export function trainOnNn5(d: Nn5, config: EnsembleConfig, end: number, opts: { workers?: number; log?: (line: string) => void } = {}): Promise<TrainedEnsemble> {
  const startDay = dayNumber(d.dates[0]);
  return trainEnsemble(d.series.map((values) => ({ values, startDay, country: NN5_COUNTRY })), config, end, opts);
}

/** Forecasts days end+1 … end+horizon of every series from its first `end` days, and scores the P50. */
export async function scoreOnWindow(d: Nn5, f: Forecaster, end: number, horizon = d.horizon): Promise<{ score: SeriesScore; forecasts: SeriesForecast[] }> {
  const histories = d.trainHistories(end);
  const forecasts = await f.forecast(histories, horizon);
  const score = meanScores(forecasts.map((fc, i) => scoreSeries(d.series[i].subarray(0, end), d.series[i].subarray(end, end + horizon), fc.quantiles.get(0.5)!)));
  return { score, forecasts };
}
