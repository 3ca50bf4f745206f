/**
 * `npm run train:forecast`: rebuilds agents/liquidity/models/nn5-mlp.onnx and its metadata JSON.
 *
 * 1. Validation run: trains on NN5 windows ending by day 679 and scores days 680–735.
 * 2. Final run: the same config on every window ending by day 735 (the protocol's training part).
 * Same config and seeds → the same ONNX bytes. Flags: --no-validate (skip step 1), --out=<file.onnx>.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { loadNn5, NN5_TRAIN_DAYS } from "./nn5.js";
import { NN5_MODEL_CONFIG, NN5_VALIDATION_END } from "./model/config.js";
import { exportOnnx } from "./model/onnx-export.js";
import { parameterCount } from "./model/mlp.js";
import { scoreOnWindow, trainOnNn5 } from "./model/nn5-model.js";
import { loadOnnxForecaster } from "./onnx.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const args = new Map<string, string>(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, "").split("=");
  return [k, v ?? "true"];
}));
const out = path.resolve(args.get("out") ?? path.join(ROOT, "agents/liquidity/models/nn5-mlp.onnx"));
const log = (line: string) => console.log(`  ${line}`);

const d = loadNn5();
const config = NN5_MODEL_CONFIG;
let validation: { days: string; mase: number; smape: number } | null = null;
if (args.get("no-validate") === undefined) {
  console.log(`validation run: windows ending by day ${NN5_VALIDATION_END}, scoring days ${NN5_VALIDATION_END + 1}–${NN5_VALIDATION_END + d.horizon}`);
  const v = await trainOnNn5(d, config, NN5_VALIDATION_END, { log });
  const f = await loadOnnxForecaster(exportOnnx(v.members, v.spec));
  const { score } = await scoreOnWindow(d, f, NN5_VALIDATION_END);
  await f.close();
  validation = { days: `${NN5_VALIDATION_END + 1}-${NN5_VALIDATION_END + d.horizon}`, mase: round(score.mase), smape: round(score.smape) };
  console.log(`validation MASE ${validation.mase}, sMAPE ${validation.smape} %`);
}
console.log(`final run: windows ending by day ${NN5_TRAIN_DAYS}`);
const t0 = performance.now();
const trained = await trainOnNn5(d, config, NN5_TRAIN_DAYS, { log });
const trainSeconds = (performance.now() - t0) / 1000;
const bytes = exportOnnx(trained.members, trained.spec);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, bytes);
const meta = {
  file: path.basename(out),
  bytes: bytes.length,
  config,
  members: trained.members.length,
  parametersPerMember: parameterCount(trained.members[0].shape),
  weights: "int8, one scale per output column (DequantizeLinear); biases float32",
  data: { source: "NN5 nn5_daily_monash_imputed.csv", trainDays: `1-${NN5_TRAIN_DAYS}`, firstDate: d.dates[0], lastDate: d.dates[NN5_TRAIN_DAYS - 1], series: d.names.length },
  validation,
  finalTrainingLoss: trained.losses.map((l) => round(l[l.length - 1])),
  trainSecondsOnBuildMachine: Math.round(trainSeconds),
};
writeFileSync(out.replace(/\.onnx$/, ".json"), JSON.stringify(meta, null, 2) + "\n");
console.log(`wrote ${path.relative(ROOT, out)} (${bytes.length} bytes) in ${trainSeconds.toFixed(0)} s of training`);

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
