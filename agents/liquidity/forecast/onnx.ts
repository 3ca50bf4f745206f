/**
 * The trained model as a Forecaster, run by onnxruntime-node. The ONNX file holds only the networks;
 * the inputs and the way back to the series' units come from the one feature pipeline (features.ts),
 * exactly as in training.
 */
import { readFileSync } from "node:fs";
import * as ort from "onnxruntime-node";

import { checkHorizon, ForecastInputError } from "./history.js";
import { combineMembers, prepareInputs, toForecasts, type ModelSpec } from "./model/ensemble.js";
import { ONNX_INPUT, ONNX_OUTPUT, readSpec } from "./model/onnx-export.js";
import type { Forecaster, SeriesForecast, SeriesHistory } from "./types.js";

export interface OnnxForecaster extends Forecaster {
  readonly spec: ModelSpec;
  /** The raw per-member network outputs [K][count · Q · horizon] for prepared inputs (used by tests). */
  runMembers(X: Float32Array, count: number): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export async function loadOnnxForecaster(file: string | Uint8Array, name = "onnx_mlp"): Promise<OnnxForecaster> {
  let bytes: Uint8Array;
  try {
    bytes = typeof file === "string" ? readFileSync(file) : file;
  } catch (e) {
    throw new ForecastInputError(`cannot read the model file ${String(file)}: ${(e as Error).message}. Rebuild it with \`npm run train:forecast\`.`);
  }
  const spec = readSpec(bytes);
  if (!spec) throw new ForecastInputError(`${typeof file === "string" ? file : "the model"} has no forecast spec in its metadata: not a model written by train:forecast`);
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: "basic" });
  const runMembers = async (X: Float32Array, count: number): Promise<Float32Array[]> => {
    const result = await session.run({ [ONNX_INPUT]: new ort.Tensor("float32", X, [count, X.length / count]) });
    const out = result[ONNX_OUTPUT];
    const [K, , O] = out.dims as number[];
    const data = out.data as Float32Array;
    return Array.from({ length: K }, (_, k) => data.slice(k * count * O, (k + 1) * count * O));
  };
  return {
    name,
    spec,
    runMembers,
    async forecast(histories: SeriesHistory[], horizon: number): Promise<SeriesForecast[]> {
      checkHorizon(horizon, spec.features.horizon);
      if (histories.length === 0) return [];
      const input = prepareInputs(histories, spec, name);
      const members = await runMembers(input.X, input.count);
      return toForecasts(histories, input, combineMembers(members, spec.combine), spec, horizon);
    },
    close: () => session.release(),
  };
}
