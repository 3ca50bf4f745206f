/** MASE, sMAPE, pinball and coverage on cases small enough to compute by hand. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { coverage, mase, maseScale, meanScores, pinball, ScoringError, smape } from "../../../../agents/liquidity/forecast/index.js";

describe("forecast scoring", () => {
  it("MASE divides the forecast MAE by the mean seasonal difference of the training part", () => {
    // m = 2: |3−1|, |2−2|, |6−3| → mean 5/3.
    const train = [1, 2, 3, 2, 6];
    assert.equal(maseScale(train, 2), 5 / 3);
    // MAE of (10 vs 11, 10 vs 8) = (1 + 2)/2 = 1.5 → MASE 1.5 / (5/3) = 0.9.
    assert.ok(Math.abs(mase(train, [11, 8], [10, 10], 2) - 0.9) < 1e-12);
  });

  it("MASE uses m = 7 by default, as the NN5 protocol does", () => {
    const train = Array.from({ length: 14 }, (_, t) => t); // every |y_t − y_{t−7}| = 7
    assert.equal(mase(train, [20], [13]), 1);
  });

  it("sMAPE is 200·|F − A|/(|F| + |A|) averaged, with 0/0 terms dropped", () => {
    // (200·1/3 + 200·0/4 + dropped) / 2
    assert.ok(Math.abs(smape([1, 2, 0], [2, 2, 0]) - 100 / 3) < 1e-12);
    assert.equal(smape([0, 0], [0, 0]), 0);
    assert.equal(smape([0], [5]), 200);
  });

  it("pinball weighs under-forecasts by q and over-forecasts by 1 − q", () => {
    assert.ok(Math.abs(pinball([10, 10], [8, 13], 0.9) - (0.9 * 2 + 0.1 * 3) / 2) < 1e-12);
    assert.equal(pinball([5], [5], 0.5), 0);
  });

  it("coverage counts actuals at or below the quantile", () => {
    assert.equal(coverage([1, 2, 3, 4], [2, 2, 2, 2]), 0.5);
  });

  it("means are plain averages over series", () => {
    assert.deepEqual(meanScores([{ mase: 1, smape: 10 }, { mase: 0.5, smape: 30 }]), { mase: 0.75, smape: 20 });
  });

  it("refuses what it cannot score, saying why", () => {
    assert.throws(() => mase([1, 2, 3], [1], [1]), (e: unknown) => e instanceof ScoringError && /more than 7 training values/.test(e.message));
    assert.throws(() => mase(new Array(10).fill(4), [1], [1]), /scale 0/);
    assert.throws(() => smape([1, 2], [1]), /actual has 2 values, forecast 1/);
    assert.throws(() => meanScores([]), /no series/);
  });
});
