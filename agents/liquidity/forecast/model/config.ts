/**
 * The configuration of the committed NN5 model (agents/liquidity/models/nn5-mlp.onnx), shared by
 * `npm run train:forecast` and `npm run bench:forecast`. Chosen on the validation window (days
 * 680–735, the last 56 training days) — never on the test window 736–791.
 */
import { DEFAULT_FEATURES } from "../features.js";
import type { EnsembleConfig } from "./ensemble-train.js";

export const NN5_MODEL_CONFIG: EnsembleConfig = {
  features: DEFAULT_FEATURES,
  levels: [0.1, 0.5, 0.9, 0.95, 0.99],
  hidden: 256,
  blocks: 1,
  epochs: 4,
  batch: 128,
  lr: 1e-3,
  seeds: [1, 2, 3, 4],
  combine: "median",
};

/** Validation: train on windows ending by day 679, score the forecast of days 680–735. */
export const NN5_VALIDATION_END = 679;
