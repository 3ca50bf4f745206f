/**
 * The committed NN5 model as its users (the rebalancer, the keeper) load it: it fits the size
 * budget, describes itself, and forecasts a daily series of another country with ordered quantiles
 * including the high ones the safety floor needs.
 */
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { describe, it } from "node:test";

import { loadOnnxForecaster, NN5_MODEL_CONFIG, NN5_MODEL_PATH } from "../../../../agents/liquidity/forecast/index.js";

describe("committed NN5 model", () => {
  it("is at most 2 MB and its metadata matches the committed config", () => {
    assert.ok(statSync(NN5_MODEL_PATH).size <= 2 * 1024 * 1024);
    const meta = JSON.parse(readFileSync(NN5_MODEL_PATH.replace(/\.onnx$/, ".json"), "utf8"));
    assert.deepEqual(meta.config, NN5_MODEL_CONFIG);
    assert.equal(meta.data.trainDays, "1-735");
    assert.equal(typeof meta.validation.mase, "number");
  });

  it("forecasts 56 days of a Kenyan agent's cash-out with P10 ≤ P50 ≤ P90 ≤ P95 ≤ P99", async () => {
    const model = await loadOnnxForecaster(NN5_MODEL_PATH);
    try {
      assert.deepEqual(model.spec.levels, [0.1, 0.5, 0.9, 0.95, 0.99]);
      const weekly = [90, 100, 95, 110, 160, 140, 40];
      const values = Array.from({ length: 450 }, (_, t) => weekly[t % 7] * (1 + 0.1 * Math.sin(t / 9)));
      const [f] = await model.forecast([{ id: "KE/agent-1", values, start: "2024-01-01", step: "day", country: "KE" }], 56);
      const q = (l: number) => f.quantiles.get(l)!;
      for (let h = 0; h < 56; h++) {
        assert.ok(q(0.1)[h] >= 0);
        assert.ok(q(0.1)[h] <= q(0.5)[h] && q(0.5)[h] <= q(0.9)[h] && q(0.9)[h] <= q(0.95)[h] && q(0.95)[h] <= q(0.99)[h], `step ${h}`);
      }
      // The weekly shape survives: 450 days after a Monday is a Wednesday, so steps 2 and 4 are a Friday
      // (the series' peak) and a Sunday (its trough), in the first week and the last.
      for (const friday of [2, 51]) assert.ok(q(0.5)[friday] > 1.5 * q(0.5)[friday + 2], `Friday ${q(0.5)[friday]} vs Sunday ${q(0.5)[friday + 2]}`);
    } finally {
      await model.close();
    }
  });
});
