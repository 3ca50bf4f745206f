/**
 * The standard Theta method (Assimakopoulos & Nikolopoulos 2000) as Hyndman & Billah showed it and
 * forecast::thetaf / statsforecast implement it:
 * 1. If the series is seasonal (autocorrelation at lag m significant at 90 %: |r_m| > 1.645·√((1 + 2Σ_{i<m} r_i²)/n)),
 *    divide out a classical multiplicative decomposition's seasonal indices.
 * 2. Simple exponential smoothing of the adjusted series (α and initial level by Nelder–Mead on SSE),
 *    plus half the slope b of its least-squares line: ŷ_h = SES + (b/2)·(h − 1 + 1/α − (1 − α)^n/α).
 * 3. Multiply the seasonal indices back.
 * Quantiles: empirical one-step residuals (original scale) widened like SES, √(1 + (h − 1)α²).
 */
import { checkedValues, checkHorizon, seasonFor } from "../history.js";
import { residualQuantiles } from "../quantiles.js";
import type { Forecaster, SeriesForecast, SeriesHistory } from "../types.js";
import { nelderMead, sigmoid } from "./nelder-mead.js";

function acf(y: Float64Array, maxLag: number): Float64Array {
  const n = y.length;
  let mean = 0;
  for (const v of y) mean += v / n;
  let c0 = 0;
  for (const v of y) c0 += (v - mean) ** 2;
  const r = new Float64Array(maxLag + 1);
  for (let k = 0; k <= maxLag; k++) {
    let c = 0;
    for (let t = k; t < n; t++) c += (y[t] - mean) * (y[t - k] - mean);
    r[k] = c0 > 0 ? c / c0 : 0;
  }
  return r;
}

export function isSeasonal(y: Float64Array, m: number): boolean {
  if (m <= 1 || y.length < 2 * m) return false;
  const r = acf(y, m);
  let s = 0;
  for (let i = 1; i < m; i++) s += r[i] * r[i];
  return Math.abs(r[m]) > 1.6448536 * Math.sqrt((1 + 2 * s) / y.length);
}

/** Classical multiplicative seasonal indices (mean ratio to a centred moving average), averaging 1. */
export function multiplicativeSeasonalIndices(y: Float64Array, m: number): Float64Array {
  const n = y.length;
  const half = Math.floor(m / 2);
  const sums = new Float64Array(m);
  const counts = new Float64Array(m);
  for (let t = half; t < n - half; t++) {
    let s = 0;
    if (m % 2 === 0) for (let j = -half; j <= half; j++) s += (j === -half || j === half ? 0.5 : 1) * y[t + j];
    else for (let j = -half; j <= half; j++) s += y[t + j];
    const trend = s / m;
    if (trend !== 0) {
      sums[t % m] += y[t] / trend;
      counts[t % m]++;
    }
  }
  const idx = new Float64Array(m);
  let mean = 0;
  for (let i = 0; i < m; i++) {
    idx[i] = counts[i] > 0 ? sums[i] / counts[i] : 1;
    mean += idx[i] / m;
  }
  for (let i = 0; i < m; i++) idx[i] = mean > 0 && idx[i] > 0 ? idx[i] / mean : 1;
  return idx;
}

export interface SesFit {
  alpha: number;
  level: number;
  fitted: Float64Array;
}

export function fitSes(y: Float64Array): SesFit {
  const run = (alpha: number, l0: number) => {
    let l = l0;
    let sse = 0;
    const fitted = new Float64Array(y.length);
    for (let t = 0; t < y.length; t++) {
      fitted[t] = l;
      const e = y[t] - l;
      sse += e * e;
      l += alpha * e;
    }
    return { sse, level: l, fitted };
  };
  const alphaOf = (x: number) => 0.0001 + 0.9998 * sigmoid(x);
  const spread = Math.max(1e-9, Math.abs(y[0]) + 1);
  const { x } = nelderMead((v) => run(alphaOf(v[0]), y[0] + v[1] * spread).sse, [-1, 0], { step: 1, maxIterations: 300, tolerance: 1e-12 });
  const alpha = alphaOf(x[0]);
  const r = run(alpha, y[0] + x[1] * spread);
  return { alpha, level: r.level, fitted: r.fitted };
}

export function thetaFit(y: Float64Array, m: number, horizon: number): { point: Float64Array; residuals: Float64Array; alpha: number } {
  const n = y.length;
  const seasonal = isSeasonal(y, m);
  const idx = seasonal ? multiplicativeSeasonalIndices(y, m) : new Float64Array(Math.max(1, m)).fill(1);
  const period = idx.length;
  const adj = new Float64Array(n);
  for (let t = 0; t < n; t++) adj[t] = y[t] / idx[t % period];
  const ses = fitSes(adj);
  // Least-squares slope of the adjusted series against time.
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let t = 0; t < n; t++) {
    sx += t; sy += adj[t]; sxx += t * t; sxy += t * adj[t];
  }
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const a = ses.alpha;
  const drift = 1 / a - (1 - a) ** n / a;
  const point = new Float64Array(horizon);
  for (let h = 0; h < horizon; h++) point[h] = (ses.level + (b / 2) * (h + drift)) * idx[(n + h) % period];
  const residuals = new Float64Array(n);
  for (let t = 0; t < n; t++) residuals[t] = y[t] - ses.fitted[t] * idx[t % period];
  return { point, residuals, alpha: a };
}

export function theta(opts: { period?: number } = {}): Forecaster {
  return {
    name: "theta",
    async forecast(histories: SeriesHistory[], horizon: number): Promise<SeriesForecast[]> {
      checkHorizon(horizon);
      return histories.map((h) => {
        const m = opts.period ?? seasonFor(h.step);
        const y = checkedValues(h, 3, "Theta");
        const { point, residuals, alpha } = thetaFit(y, m, horizon);
        return { id: h.id, quantiles: residualQuantiles(point, residuals.subarray(Math.min(m, y.length - 2)), (k) => Math.sqrt(1 + (k - 1) * alpha * alpha)) };
      });
    },
  };
}
