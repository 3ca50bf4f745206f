/**
 * The global model end to end on small synthetic series: one feature pipeline for training and
 * inference, training that learns and is reproducible to the byte, the ONNX graph run by
 * onnxruntime-node computing what the TypeScript forward pass computes, and clear refusals.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { addDays, dayNumber } from "../../../../agents/liquidity/calendar.js";
import { CALENDAR_PER_DAY, denormalise, featureLength, writeFeatures, type FeatureConfig } from "../../../../agents/liquidity/forecast/features.js";
import { ForecastInputError, loadOnnxForecaster, REQUIRED_QUANTILES, type SeriesHistory } from "../../../../agents/liquidity/forecast/index.js";
import { forecastWithMembers, memberOutputs, prepareInputs } from "../../../../agents/liquidity/forecast/model/ensemble.js";
import { trainEnsemble, type EnsembleConfig } from "../../../../agents/liquidity/forecast/model/ensemble-train.js";
import { exportOnnx } from "../../../../agents/liquidity/forecast/model/onnx-export.js";
import { buildDataset, trainMlp } from "../../../../agents/liquidity/forecast/model/train.js";

const features: FeatureConfig = { horizon: 14, inputDays: 28, scaleDays: 14, yearLag: 364, yearContextDays: 7 };
const START = "2023-01-02"; // a Monday
const weekly = [1.0, 1.1, 1.0, 1.2, 1.8, 1.5, 0.4];

/** Weekly cash demand with a level per series and a little deterministic noise. */
function synthetic(count: number, days: number): number[][] {
  return Array.from({ length: count }, (_, s) =>
    Array.from({ length: days }, (_, t) => (20 + 5 * s) * weekly[t % 7] * (1 + 0.05 * Math.sin(t * 0.7 + s)) + ((t * 7919 + s * 104729) % 17) / 17),
  );
}
const series = synthetic(6, 420);
const trainSeries = series.map((values) => ({ values, startDay: dayNumber(START), country: "KE" }));
const histories = (end: number): SeriesHistory[] => series.map((v, i) => ({ id: `agent-${i}`, values: v.slice(0, end), start: START, step: "day", country: "KE" }));
const tiny: EnsembleConfig = { features, levels: [0.1, 0.5, 0.9, 0.95], hidden: 16, blocks: 1, epochs: 3, batch: 32, lr: 2e-3, seeds: [11, 12, 13], combine: "median" };

describe("forecast model", () => {
  it("builds input rows of the documented length and layout", () => {
    const width = featureLength(features);
    assert.equal(width, 28 + 7 + 14 + 1 + 7 + 14 * CALENDAR_PER_DAY);
    const x = new Float32Array(width);
    const base = new Float32Array(14);
    const values = series[0];
    // The forecast from day 300 starts on 2023-10-29 (a Sunday); 2023-10-20 Mashujaa Day is before, 2023-12-12 Jamhuri after.
    const n = 300;
    const scale = writeFeatures(values, n, dayNumber(START), "KE", features, x, 0, base, 0);
    const last14 = values.slice(n - 14, n);
    assert.ok(Math.abs(scale - last14.reduce((a, b) => a + b) / 14) < 1e-9);
    assert.ok(Math.abs(x[27] - (values[n - 1] / scale - 1)) < 1e-6, "recent block ends with the last value");
    assert.equal(x[28 + 7 + 14], 0, "no yearly block: the history is shorter than 364 + 7 days");
    assert.deepEqual([...x.subarray(50, 57)], [0, 0, 0, 0, 0, 0, 1], "weekday one-hot of the first target day (Sunday)");
    assert.ok(Math.abs(base[0] - [1, 2, 3, 4].reduce((s, w) => s + values[n - 7 * w], 0) / 4 / scale) < 1e-6);
    // Jamhuri Day 2023-12-12 is a target day when forecasting from 2023-12-05.
    const m = dayNumber("2023-12-05") - dayNumber(START);
    writeFeatures(values, m, dayNumber(START), "KE", features, x, 0, base, 0);
    assert.equal(x[57 + 7 * CALENDAR_PER_DAY], 1, "holiday flag on 2023-12-12");
    assert.equal(x[57 + 6 * CALENDAR_PER_DAY + 1], 1, "holiday-tomorrow flag on 2023-12-11");
    assert.equal(addDays(START, m + 7), "2023-12-12");
  });

  it("gives inference exactly the rows training saw, and maps targets back to the actual values", () => {
    const end = 400;
    const data = buildDataset(trainSeries, features, end);
    const origins = end - 14 - 28 + 1;
    assert.equal(data.count, 6 * origins);
    // The last training window of series 2 starts its targets at day end − 14; inference from a history of that length.
    const row = 2 * origins + origins - 1;
    const input = prepareInputs([histories(end - 14)[2]], { features, levels: tiny.levels, combine: "median" }, "test");
    assert.deepEqual(input.X, data.X.subarray(row * data.width, (row + 1) * data.width));
    // Feeding the targets through denormalise as if they were the net's output restores the actual values.
    const asOutput = new Float32Array(14 * 1);
    asOutput.set(data.Y.subarray(row * 14, (row + 1) * 14));
    const back = denormalise(asOutput, 0, [0.5], input.scales[0], input.base, 0, 14).get(0.5)!;
    for (let h = 0; h < 14; h++) assert.ok(Math.abs(back[h] - series[2][end - 14 + h]) < 1e-4);
  });

  it("training lowers the pinball loss", () => {
    const data = buildDataset(trainSeries, features, 400);
    const { losses } = trainMlp(data, { ...tiny, epochs: 4, seed: 5 });
    assert.ok(losses[3] < losses[0] * 0.8, `losses ${losses}`);
  });

  it("is reproducible: the same seeds give the same ONNX bytes, other seeds other bytes", async () => {
    const a = exportOnnx(...(await pair(tiny)));
    const b = exportOnnx(...(await pair(tiny)));
    const c = exportOnnx(...(await pair({ ...tiny, seeds: [21, 22, 23] })));
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
  });

  it("runs in onnxruntime-node with the same output as the TypeScript forward pass", async () => {
    const ens = await trainEnsemble(trainSeries, tiny, 400, { workers: 0 });
    const onnx = await loadOnnxForecaster(exportOnnx(ens.members, ens.spec));
    try {
      const h = histories(406);
      const input = prepareInputs(h, ens.spec, "test");
      const ts = memberOutputs(ens.members, input);
      const ort = await onnx.runMembers(input.X, input.count);
      assert.equal(ort.length, 3);
      for (let k = 0; k < 3; k++) for (let i = 0; i < ts[k].length; i++) assert.ok(Math.abs(ts[k][i] - ort[k][i]) < 1e-4, `member ${k} [${i}]`);
      const viaOnnx = await onnx.forecast(h, 10);
      const viaTs = forecastWithMembers(ens.members, ens.spec, h, 10);
      for (let s = 0; s < h.length; s++) {
        for (const q of [...REQUIRED_QUANTILES, 0.95]) {
          const a = viaOnnx[s].quantiles.get(q)!;
          const b = viaTs[s].quantiles.get(q)!;
          assert.equal(a.length, 10);
          for (let t = 0; t < 10; t++) assert.ok(Math.abs(a[t] - b[t]) < 1e-3 * Math.max(1, b[t]), `series ${s} q${q} step ${t}`);
          if (q > 0.1) for (let t = 0; t < 10; t++) assert.ok(a[t] >= viaOnnx[s].quantiles.get(0.1)![t]);
        }
      }
      // The forecasts track the weekly pattern: the Friday peak above the Sunday trough.
      const p50 = viaOnnx[0].quantiles.get(0.5)!; // from day 406 (a Monday): index 4 Friday, 6 Sunday
      assert.ok(p50[4] > p50[6] * 2, `Friday ${p50[4]} vs Sunday ${p50[6]}`);
    } finally {
      await onnx.close();
    }
  });

  it("refuses what it cannot forecast, saying why", async () => {
    const ens = await trainEnsemble(trainSeries, { ...tiny, epochs: 1, seeds: [1] }, 400, { workers: 0 });
    const onnx = await loadOnnxForecaster(exportOnnx(ens.members, ens.spec));
    try {
      const ok = histories(400)[0];
      await assert.rejects(onnx.forecast([{ ...ok, values: ok.values.slice(0, 20) }], 7), (e: unknown) => e instanceof ForecastInputError && /needs at least 28 days of history, got 20/.test(e.message));
      await assert.rejects(onnx.forecast([{ ...ok, values: [] }], 7), /is empty/);
      await assert.rejects(onnx.forecast([{ ...ok, values: [...ok.values.slice(0, 99), NaN] }], 7), /non-finite value \(NaN\) at step 99/);
      await assert.rejects(onnx.forecast([{ ...ok, step: "hour" }], 7), /step "hour"; this model forecasts daily series/);
      await assert.rejects(onnx.forecast([ok], 15), /horizon 15 is longer than this forecaster's 14 steps/);
      await assert.rejects(onnx.forecast([{ ...ok, country: "XX" }], 7), /unknown country "XX"/);
    } finally {
      await onnx.close();
    }
    await assert.rejects(loadOnnxForecaster("/nonexistent/model.onnx"), /cannot read the model file .*train:forecast/);
    await assert.rejects(trainEnsemble(trainSeries, { ...tiny, levels: [0.9, 0.1] }, 400, { workers: 0 }), /ascending in \(0, 1\) and include 0.5/);
    assert.throws(() => buildDataset(trainSeries, features, 30), /no training windows/);
  });
});

async function pair(config: EnsembleConfig) {
  const e = await trainEnsemble(trainSeries, config, 400, { workers: 0 });
  return [e.members, e.spec] as const;
}
