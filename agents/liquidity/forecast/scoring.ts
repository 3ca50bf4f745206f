/**
 * Scores exactly as the NN5 / Monash protocol defines them (../shared/data/nn5/README.md):
 * - MASE: mean |y − ŷ| over the horizon ÷ mean |y_t − y_{t−m}| over the whole training part (m = 7).
 * - sMAPE: mean of 200·|F − A| / (|F| + |A|) over the horizon, 0/0 terms dropped.
 * Both per series, then averaged over series by the caller (`meanScores`).
 * Also the pinball (quantile) loss and interval coverage, for the quantile forecasts.
 */

export class ScoringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScoringError";
  }
}

function sameLength(actual: ArrayLike<number>, forecast: ArrayLike<number>): void {
  if (actual.length !== forecast.length) throw new ScoringError(`actual has ${actual.length} values, forecast ${forecast.length}`);
  if (actual.length === 0) throw new ScoringError("nothing to score: empty horizon");
}

/** Mean |y_t − y_{t−m}| over the training part: the MASE denominator. */
export function maseScale(train: ArrayLike<number>, m = 7): number {
  if (train.length <= m) throw new ScoringError(`MASE needs more than ${m} training values, got ${train.length}`);
  let sum = 0;
  for (let t = m; t < train.length; t++) sum += Math.abs(train[t] - train[t - m]);
  return sum / (train.length - m);
}

export function mae(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  sameLength(actual, forecast);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i] - forecast[i]);
  return sum / actual.length;
}

export function mase(train: ArrayLike<number>, actual: ArrayLike<number>, forecast: ArrayLike<number>, m = 7): number {
  const scale = maseScale(train, m);
  if (scale === 0) throw new ScoringError("MASE undefined: the training part has no seasonal variation (scale 0)");
  return mae(actual, forecast) / scale;
}

/** sMAPE in percent; terms with |F| + |A| = 0 are dropped (0/0). */
export function smape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  sameLength(actual, forecast);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < actual.length; i++) {
    const den = Math.abs(forecast[i]) + Math.abs(actual[i]);
    if (den === 0) continue;
    sum += (200 * Math.abs(forecast[i] - actual[i])) / den;
    n++;
  }
  return n === 0 ? 0 : sum / n;
}

/** Mean pinball loss of a q-quantile forecast. */
export function pinball(actual: ArrayLike<number>, forecast: ArrayLike<number>, q: number): number {
  sameLength(actual, forecast);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = actual[i] - forecast[i];
    sum += e >= 0 ? q * e : (q - 1) * e;
  }
  return sum / actual.length;
}

/** Share of actual values at or below the forecast quantile (ideally ≈ q). */
export function coverage(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  sameLength(actual, forecast);
  let n = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] <= forecast[i]) n++;
  return n / actual.length;
}

export interface SeriesScore {
  mase: number;
  smape: number;
}

export function scoreSeries(train: ArrayLike<number>, actual: ArrayLike<number>, forecast: ArrayLike<number>, m = 7): SeriesScore {
  return { mase: mase(train, actual, forecast, m), smape: smape(actual, forecast) };
}

/** Arithmetic means over series, as the published tables report. */
export function meanScores(scores: SeriesScore[]): SeriesScore {
  if (scores.length === 0) throw new ScoringError("no series to average");
  let m = 0;
  let s = 0;
  for (const x of scores) {
    m += x.mase;
    s += x.smape;
  }
  return { mase: m / scores.length, smape: s / scores.length };
}
