/**
 * The safety floor rule on forecasts whose answer can be added up by hand.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { ForecastError, quantileSteps, safetyFloor } from "../../../../agents/liquidity/rebalance/floor.js";
import { daily, near } from "./fixture.js";

describe("safety floor", () => {
  // P50 per day 5, 10, 15, 99; P90 per day 8, 14, 15, 99.
  const forecast = daily([5, 10, 15, 99], [8, 14, 15, 99]);

  it("adds the per-step P90s over lead time + review (sum of quantiles)", () => {
    // lead 2 + review 1 = 3 steps: 8 + 14 + 15 = 37; the 4th day is outside the horizon.
    const { floor, medianOutflow } = safetyFloor(forecast, 3, 0.9);
    assert.equal(floor, 37);
    assert.equal(medianOutflow, 30); // 5 + 10 + 15
  });

  it("with independent steps adds the medians and the root-sum-square of the spreads", () => {
    // Σ median = 30; spreads 3, 4, 0 → √(9 + 16 + 0) = 5 → 35, below the 37 of the sum of quantiles.
    const { floor } = safetyFloor(forecast, 3, 0.9, "independent");
    assert.equal(floor, 35);
  });

  it("interpolates a level between two the forecaster gave", () => {
    const f = { stepHours: 1, quantiles: { "0.5": [0, 0], "0.8": [10, 20], "0.9": [20, 40] } };
    // 0.85 is halfway between 0.8 and 0.9: 15 and 30.
    const [a, b] = quantileSteps(f, 0.85);
    assert.ok(near(a!, 15) && near(b!, 30), `got ${a}, ${b}`);
    assert.ok(near(safetyFloor(f, 2, 0.85).floor, 45));
  });

  it("is never below zero when net inflow is forecast", () => {
    const inflow = daily([-10, -10], [-2, -1]);
    assert.equal(safetyFloor(inflow, 2, 0.9).floor, 0);
  });

  it("refuses a level the forecast does not cover, and a horizon longer than the forecast", () => {
    assert.throws(() => safetyFloor(forecast, 3, 0.99, "sum-of-quantiles", "forecast for MTN-NG/cNGN"), (e: unknown) => {
      assert.ok(e instanceof ForecastError);
      assert.match(e.message, /MTN-NG\/cNGN has quantiles 0\.1, 0\.5, 0\.9; it cannot give 0\.99/);
      return true;
    });
    assert.throws(() => safetyFloor(forecast, 5, 0.9), /covers 4 steps; the floor needs 5/);
    assert.throws(() => safetyFloor(forecast, 0, 0.9), /horizon must be a whole number of steps ≥ 1/);
    assert.throws(() => safetyFloor(forecast, 2, 1), /floor quantile must be in \(0, 1\)/);
  });

  it("uses a P99 the forecaster adds (e.g. the ONNX model's extra levels)", () => {
    const f = daily([10, 10], [15, 15], { "0.99": [25, 26] });
    assert.ok(near(safetyFloor(f, 2, 0.99).floor, 51));
  });
});
