/**
 * ETS(A,Ad,A): additive errors, damped additive trend, additive seasonality (damped Holt–Winters).
 *
 *   ŷ_t = l + φb + s_{t−m}          e = y_t − ŷ_t
 *   l ← l + φb + αe    b ← φb + βe    s_t = s_{t−m} + γe
 *   forecast h: l + (φ + … + φ^h)b + s_{n−m+((h−1) mod m)+1}
 *
 * Initial states from a classical decomposition of the first seasons (the usual heuristic of
 * Hyndman et al.); α, β, γ, φ chosen by Nelder–Mead on the in-sample one-step SSE, within the usual
 * bounds 0 < β < α < 1, 0 < γ < 1 − α, 0.8 ≤ φ ≤ 0.98 (a logistic map keeps the search unconstrained).
 * Quantiles: empirical one-step residual quantiles times the state-space standard-deviation ratio
 * √(1 + Σ_{j<h} c_j²), c_j = α + βφ_j + γ·[j mod m = 0].
 */
import { checkedValues, checkHorizon, seasonFor } from "../history.js";
import { residualQuantiles } from "../quantiles.js";
import type { Forecaster, SeriesForecast, SeriesHistory } from "../types.js";
import { nelderMead, sigmoid } from "./nelder-mead.js";

export interface EtsParams {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

interface EtsInit {
  level: number;
  trend: number;
  season: Float64Array;
}

/** Level, trend and seasonal indices from the first (up to) four seasons. */
export function etsInitialStates(y: Float64Array, m: number): EtsInit {
  const k = Math.min(4, Math.floor(y.length / m));
  const n = k * m;
  // Centred moving average of order m (2×m when m is even) gives the trend; ratios to it the season.
  const detrended = new Float64Array(n).fill(NaN);
  const half = Math.floor(m / 2);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) {
      for (let j = -half; j <= half; j++) s += (j === -half || j === half ? 0.5 : 1) * y[t + j];
    } else {
      for (let j = -half; j <= half; j++) s += y[t + j];
    }
    detrended[t] = y[t] - s / m;
  }
  const season = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = 0; t < n; t++) {
    if (Number.isFinite(detrended[t])) {
      season[t % m] += detrended[t];
      counts[t % m]++;
    }
  }
  let meanSeason = 0;
  for (let i = 0; i < m; i++) {
    season[i] = counts[i] > 0 ? season[i] / counts[i] : 0;
    meanSeason += season[i] / m;
  }
  for (let i = 0; i < m; i++) season[i] -= meanSeason;
  // Linear fit to the first two seasons, seasonally adjusted, gives level and trend.
  const p = Math.min(y.length, 2 * m);
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let t = 0; t < p; t++) {
    const a = y[t] - season[t % m];
    sx += t; sy += a; sxx += t * t; sxy += t * a;
  }
  const slope = (p * sxy - sx * sy) / Math.max(1e-12, p * sxx - sx * sx);
  const intercept = (sy - slope * sx) / p;
  // States are "before the first observation": level at t = −1.
  return { level: intercept - slope, trend: slope, season };
}

export interface EtsFit {
  params: EtsParams;
  level: number;
  trend: number;
  /** The last m seasonal states, oldest first: season[i] applies to step n − m + i. */
  season: Float64Array;
  residuals: Float64Array;
  sse: number;
}

/** Runs the filter over y; returns final states and residuals. */
export function etsFilter(y: Float64Array, m: number, p: EtsParams, init: EtsInit): EtsFit {
  let l = init.level;
  let b = init.trend;
  const s = Float64Array.from(init.season);
  const residuals = new Float64Array(y.length);
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const i = t % m;
    const e = y[t] - (l + p.phi * b + s[i]);
    residuals[t] = e;
    sse += e * e;
    l = l + p.phi * b + p.alpha * e;
    b = p.phi * b + p.beta * e;
    s[i] += p.gamma * e;
  }
  const season = new Float64Array(m);
  for (let j = 0; j < m; j++) season[j] = s[(y.length - m + j) % m];
  return { params: p, level: l, trend: b, season, residuals, sse };
}

function paramsFrom(x: number[]): EtsParams {
  const alpha = 0.0001 + 0.9998 * sigmoid(x[0]);
  const beta = alpha * sigmoid(x[1]);
  const gamma = (1 - alpha) * sigmoid(x[2]);
  const phi = 0.8 + 0.18 * sigmoid(x[3]);
  return { alpha, beta, gamma, phi };
}

export function fitEts(y: Float64Array, m: number): EtsFit {
  const init = etsInitialStates(y, m);
  // Start near the textbook values α 0.1, β 0.01, γ 0.05, φ 0.9 (in the logistic space).
  const { x } = nelderMead((v) => etsFilter(y, m, paramsFrom(v), init).sse, [-2.2, -2.2, -3, 0.2], { step: 1, maxIterations: 400, tolerance: 1e-10 });
  return etsFilter(y, m, paramsFrom(x), init);
}

export function etsPoint(fit: EtsFit, horizon: number): Float64Array {
  const m = fit.season.length;
  const out = new Float64Array(horizon);
  let damp = 0;
  let pow = 1;
  for (let h = 1; h <= horizon; h++) {
    pow *= fit.params.phi;
    damp += pow;
    out[h - 1] = fit.level + damp * fit.trend + fit.season[(h - 1) % m];
  }
  return out;
}

/** √(1 + Σ_{j=1}^{h−1} c_j²): how much wider the h-step error is than the one-step error. */
export function etsWidening(p: EtsParams, m: number, horizon: number): Float64Array {
  const out = new Float64Array(horizon);
  let acc = 1;
  let phiSum = 0;
  let pow = 1;
  out[0] = 1;
  for (let j = 1; j < horizon; j++) {
    pow *= p.phi;
    phiSum += pow;
    const c = p.alpha + p.beta * phiSum + (j % m === 0 ? p.gamma : 0);
    acc += c * c;
    out[j] = Math.sqrt(acc);
  }
  return out;
}

export function ets(opts: { period?: number } = {}): Forecaster {
  return {
    name: "ets",
    async forecast(histories: SeriesHistory[], horizon: number): Promise<SeriesForecast[]> {
      checkHorizon(horizon);
      return histories.map((h) => {
        const m = opts.period ?? seasonFor(h.step);
        const y = checkedValues(h, 2 * m + 2, "ETS");
        const fit = fitEts(y, m);
        const widen = etsWidening(fit.params, m, horizon);
        // The first seasons' residuals reflect the heuristic start, not the model: leave them out.
        const residuals = fit.residuals.subarray(Math.min(2 * m, y.length - m));
        return { id: h.id, quantiles: residualQuantiles(etsPoint(fit, horizon), residuals, (k) => widen[k - 1]) };
      });
    },
  };
}
