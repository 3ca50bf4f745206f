/**
 * The forecasting part of liquidity intelligence: what the rebalancer, the backtest, the keeper and
 * the bench use. See agents/liquidity/docs/forecast.md.
 */
import { fileURLToPath } from "node:url";

export * from "./types.js";
export { ForecastInputError } from "./history.js";
export { BASELINE_LEVELS, quantileSorted, residualQuantiles, uncross } from "./quantiles.js";
export { coverage, mae, mase, maseScale, meanScores, pinball, scoreSeries, smape, ScoringError, type SeriesScore } from "./scoring.js";
export { loadNn5, nn5Available, nn5Dir, Nn5FormatError, Nn5MissingError, NN5_COUNTRY, NN5_HORIZON, NN5_TRAIN_DAYS, type Nn5 } from "./nn5.js";
export { naive, seasonalNaive } from "./baselines/naive.js";
export { ets } from "./baselines/ets.js";
export { theta } from "./baselines/theta.js";
export { loadOnnxForecaster, type OnnxForecaster } from "./onnx.js";
export { DEFAULT_FEATURES, type FeatureConfig } from "./features.js";
export { NN5_MODEL_CONFIG, NN5_VALIDATION_END } from "./model/config.js";
export { trainOnNn5 } from "./model/nn5-model.js";
export { exportOnnx } from "./model/onnx-export.js";

/** Where the committed NN5 model lives (rebuilt by `npm run train:forecast`). */
export const NN5_MODEL_PATH = fileURLToPath(new URL("../models/nn5-mlp.onnx", import.meta.url));
