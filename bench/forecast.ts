/**
 * `npm run bench:forecast`: the NN5 benchmark under the Monash protocol. Every method sees days
 * 1–735 of the 111 series and forecasts days 736–791; MASE and sMAPE exactly as
 * ../shared/data/nn5/README.md defines them, beside the published figures.
 *
 * The model is trained here (so train_s is real) with the committed config; `--use-committed`
 * loads agents/liquidity/models/nn5-mlp.onnx instead. Writes bench/results/forecast.json and
 * bench/results/nn5-forecasts.csv (method,series,day,value: the P50 of every method, to re-score).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import {
  coverage,
  ets,
  loadNn5,
  loadOnnxForecaster,
  maseScale,
  naive,
  nn5Available,
  nn5Dir,
  NN5_MODEL_CONFIG,
  NN5_MODEL_PATH,
  pinball,
  seasonalNaive,
  theta,
  type Forecaster,
  type SeriesForecast,
} from "../agents/liquidity/forecast/index.js";
import { exportOnnx } from "../agents/liquidity/forecast/model/onnx-export.js";
import { scoreOnWindow, trainOnNn5 } from "../agents/liquidity/forecast/model/nn5-model.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS = path.join(ROOT, "bench/results");
const useCommitted = process.argv.includes("--use-committed");
const INFER_RUNS = 7;

const PUBLISHED: [string, number, number][] = [
  ["seasonal naive (7)", 1.011, 26.5],
  ["SES", 1.521, 35.5],
  ["N-BEATS (Monash)", 1.134, 28.58],
  ["DeepAR", 0.919, 23.85],
  ["WaveNet", 0.916, 22.73],
  ["Theta", 0.885, 22.01],
  ["ETS", 0.865, 21.57],
  ["TBATS", 0.858, 21.19],
  ["statistical ensemble", 0.844, 21.0],
  ["Chronos-T5-large", 0.824, 20.7],
];

if (!nn5Available()) {
  console.error(`bench:forecast needs the NN5 data: nn5_daily_monash_imputed.csv was not found in ${nn5Dir()}.`);
  console.error("Put it in ../shared/data/nn5 beside the repository or set NN5_DIR. Nothing was written.");
  process.exit(1);
}
const d = loadNn5();
const T = d.trainDays;
const H = d.horizon;

interface MethodResult {
  mase: number;
  smape: number;
  train_s: number;
  infer_ms: number;
  coverage: Record<string, number>;
  pinball_scaled: number;
}
const methods: Record<string, MethodResult> = {};
const forecastsBy: Record<string, SeriesForecast[]> = {};

async function run(f: Forecaster, trainSeconds: number | undefined): Promise<void> {
  const t0 = performance.now();
  const { score, forecasts } = await scoreOnWindow(d, f, T);
  let inferMs = performance.now() - t0;
  if (trainSeconds !== undefined) {
    // The model's inference: median of several runs after the first (which warms onnxruntime up).
    const times: number[] = [];
    for (let i = 0; i < INFER_RUNS; i++) {
      const s = performance.now();
      await f.forecast(d.trainHistories(), H);
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    inferMs = times[INFER_RUNS >> 1];
  }
  const levels = [...forecasts[0].quantiles.keys()].sort((a, b) => a - b);
  const cov: Record<string, number> = {};
  let pin = 0;
  for (const q of levels) {
    let c = 0;
    forecasts.forEach((fc, i) => {
      c += coverage(d.test(i), fc.quantiles.get(q)!);
      pin += pinball(d.test(i), fc.quantiles.get(q)!, q) / maseScale(d.train(i));
    });
    cov[`p${Math.round(q * 100)}`] = round(c / forecasts.length, 3);
  }
  methods[f.name] = {
    mase: round(score.mase),
    smape: round(score.smape),
    // Statistical methods fit inside forecast(): their training time is that call.
    train_s: round(trainSeconds ?? inferMs / 1000, 2),
    infer_ms: round(inferMs, 1),
    coverage: cov,
    pinball_scaled: round(pin / (forecasts.length * levels.length)),
  };
  forecastsBy[f.name] = forecasts;
  console.log(`  ${f.name.padEnd(16)} MASE ${score.mase.toFixed(4)}  sMAPE ${score.smape.toFixed(2)} %`);
}

console.log(`NN5: ${d.names.length} series, train days 1–${T} (${d.dates[0]} … ${d.dates[T - 1]}), forecast ${T + 1}–${T + H}`);
for (const f of [naive(), seasonalNaive(), ets(), theta()]) await run(f, undefined);
if (Math.abs(methods.seasonal_naive.mase - 1.0113) > 1e-4) {
  throw new Error(`loader check failed: seasonal naive MASE ${methods.seasonal_naive.mase}, the README says 1.0113`);
}

let model: Forecaster & { close(): Promise<void> };
let trainSeconds = 0;
if (useCommitted) {
  console.log(`model: the committed ${path.relative(ROOT, NN5_MODEL_PATH)}`);
  model = await loadOnnxForecaster(NN5_MODEL_PATH);
} else {
  const c = NN5_MODEL_CONFIG;
  console.log(`model: training ${c.seeds.length} members (hidden ${c.hidden}, ${c.blocks} residual block(s), ${c.epochs} epochs) on days 1–${T} …`);
  const t0 = performance.now();
  const trained = await trainOnNn5(d, c, T, { log: (l) => console.log(`    ${l}`) });
  trainSeconds = (performance.now() - t0) / 1000;
  model = await loadOnnxForecaster(exportOnnx(trained.members, trained.spec));
}
await run(model, useCommitted ? 0 : trainSeconds);
await model.close();

const best = Object.entries(methods).sort((a, b) => a[1].mase - b[1].mase)[0][0];
mkdirSync(RESULTS, { recursive: true });
writeFileSync(
  path.join(RESULTS, "forecast.json"),
  JSON.stringify(
    {
      methods,
      best,
      protocol: `NN5 (nn5_daily_monash_imputed.csv), train days 1-${T}, forecast ${T + 1}-${T + H}, MASE m=7 and sMAPE as the Monash archive, means over ${d.names.length} series`,
      model: useCommitted ? "committed agents/liquidity/models/nn5-mlp.onnx (train_s not measured)" : "trained in this run with NN5_MODEL_CONFIG",
    },
    null,
    2,
  ) + "\n",
);
const lines = ["method,series,day,value"];
for (const [name, fcs] of Object.entries(forecastsBy)) {
  fcs.forEach((fc, i) => fc.quantiles.get(0.5)!.forEach((v, h) => lines.push(`${name},${d.names[i]},${T + 1 + h},${+v.toFixed(4)}`)));
}
writeFileSync(path.join(RESULTS, "nn5-forecasts.csv"), lines.join("\n") + "\n");

console.log("\nmethod                     MASE   sMAPE %   train_s  infer_ms   P10/P90 coverage");
for (const [name, r] of Object.entries(methods)) {
  console.log(`${("ours: " + name).padEnd(34)} ${r.mase.toFixed(3).padStart(7)} ${r.smape.toFixed(2).padStart(8)} ${r.train_s.toFixed(2).padStart(9)} ${r.infer_ms.toFixed(1).padStart(9)}   ${r.coverage.p10}/${r.coverage.p90}`);
}
for (const [name, m, s] of PUBLISHED) console.log(`${("published: " + name).padEnd(34)} ${m.toFixed(3).padStart(7)} ${s.toFixed(2).padStart(8)}`);
console.log(`\nbest: ${best}. Wrote bench/results/forecast.json and bench/results/nn5-forecasts.csv.`);

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
