/**
 * The model as it forecasts: features for each history (features.ts), every member network's
 * output, the members combined step by step, then back to the series' units. The ONNX forecaster
 * (../onnx.ts) runs the same steps with the networks inside onnxruntime.
 */
import { denormalise, featureLength, startDayOf, writeFeatures, type FeatureConfig } from "../features.js";
import { checkedValues, checkHorizon, ForecastInputError } from "../history.js";
import type { SeriesForecast, SeriesHistory } from "../types.js";
import { forward, workspace, type Mlp } from "./mlp.js";

export type Combine = "mean" | "median";

export interface ModelSpec {
  features: FeatureConfig;
  levels: number[];
  combine: Combine;
}

export interface PreparedInput {
  X: Float32Array;
  scales: Float64Array;
  base: Float32Array;
  count: number;
}

/** Input rows for a batch of histories (each forecast starts right after its history). */
export function prepareInputs(histories: SeriesHistory[], spec: ModelSpec, forecaster: string): PreparedInput {
  const c = spec.features;
  const width = featureLength(c);
  const X = new Float32Array(histories.length * width);
  const base = new Float32Array(histories.length * c.horizon);
  const scales = new Float64Array(histories.length);
  histories.forEach((h, i) => {
    if (h.step !== "day") throw new ForecastInputError(`${forecaster}: series "${h.id}" has step "${h.step}"; this model forecasts daily series`);
    const values = checkedValues(h, 1, forecaster);
    try {
      scales[i] = writeFeatures(values, values.length, startDayOf(h.start), h.country ?? "GB", c, X, i * width, base, i * c.horizon);
    } catch (e) {
      throw e instanceof ForecastInputError ? new ForecastInputError(`${forecaster}: series "${h.id}": ${e.message}`) : e;
    }
  });
  return { X, scales, base, count: histories.length };
}

/** Combines member outputs (each count × Q·horizon) element by element. */
export function combineMembers(outputs: Float32Array[], combine: Combine): Float32Array {
  const out = new Float32Array(outputs[0].length);
  if (combine === "mean" || outputs.length < 3) {
    for (const o of outputs) for (let i = 0; i < out.length; i++) out[i] += o[i] / outputs.length;
    return out;
  }
  const col = new Float32Array(outputs.length);
  const mid = outputs.length >> 1;
  for (let i = 0; i < out.length; i++) {
    for (let k = 0; k < outputs.length; k++) col[k] = outputs[k][i];
    col.sort();
    out[i] = outputs.length % 2 ? col[mid] : 0.5 * (col[mid - 1] + col[mid]);
  }
  return out;
}

/** Forecasts in the series' units from the combined network output. */
export function toForecasts(histories: SeriesHistory[], input: PreparedInput, combined: Float32Array, spec: ModelSpec, horizon: number): SeriesForecast[] {
  const H = spec.features.horizon;
  const O = spec.levels.length * H;
  return histories.map((h, i) => {
    const full = denormalise(combined, i * O, spec.levels, input.scales[i], input.base, i * H, H);
    return { id: h.id, quantiles: new Map([...full].map(([q, path]) => [q, path.slice(0, horizon)])) };
  });
}

/** The whole model in TypeScript (the reference the ONNX graph is checked against). */
export function forecastWithMembers(members: Mlp[], spec: ModelSpec, histories: SeriesHistory[], horizon: number, forecaster = "mlp"): SeriesForecast[] {
  checkHorizon(horizon, spec.features.horizon);
  const input = prepareInputs(histories, spec, forecaster);
  return toForecasts(histories, input, combineMembers(memberOutputs(members, input), spec.combine), spec, horizon);
}

export function memberOutputs(members: Mlp[], input: PreparedInput): Float32Array[] {
  return members.map((m) => forward(m, input.X, input.count, workspace(m, input.count)).slice());
}
