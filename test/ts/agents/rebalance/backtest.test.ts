/**
 * The backtest's simulator on a tiny hand-made world: transfers fail exactly when the pool lacks the
 * cash, orders arrive after their lead time, (s, S) orders up to S, the same transfers for every
 * policy, and the forecast policy sees no day after the one it plans on.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import type { Forecaster, SeriesHistory } from "../../../../agents/liquidity/forecast/types.js";
import { run, TransferBook, transfersOf, type PoolSpec, type Policy } from "../../../../bench/lib/backtest.js";
import { forecastPolicy, nonePolicy, thresholdPolicy } from "../../../../bench/lib/backtest-policies.js";
import { costs } from "./fixture.js";

/** One pool, one agent, transfers of exactly 10 (median 10, no spread): demand 30 a day = 3 transfers. */
const spec: PoolSpec = {
  id: "p",
  label: "P",
  chain: "hedera",
  asset: "USDC",
  priceUsd: 1,
  currency: "USD",
  assetPerCurrency: 1,
  currencyPerNn5: 1,
  transferMedian: 10,
  transferSigma: 0,
  transferCap: 10,
  agents: [0],
  idleRate: 0.0365, // 0.01 % a day: idle cost = float × 0.0001 per day
};
const flat = (day: number) => (day >= 0 ? 30 : 0);
const noCosts = { gasPerOrderUsd: 0, crossChainGasUsd: 0 };

describe("rebalancing backtest", () => {
  it("cuts a day's demand into transfers that add up to it, the same every time", () => {
    const wide = { ...spec, transferSigma: 0.9, transferCap: 25 };
    const a = transfersOf(wide, 0, 5, () => 100, 7);
    const b = transfersOf(wide, 0, 5, () => 100, 7);
    assert.deepEqual(a, b);
    assert.ok(Math.abs(a.reduce((s, x) => s + x, 0) - 100) < 1e-9);
    assert.ok(a.every((x) => x <= 25));
    assert.notDeepEqual(transfersOf(wide, 0, 6, () => 100, 7), a);
  });

  it("fails transfers once the float runs out, and never refills without a policy", async () => {
    // Float 50, demand 3 × 10 a day: day 0 serves 3 (float 20), day 1 serves 2 and fails 1, day 2 fails 3.
    const book = new TransferBook([spec], () => 30);
    const none: Policy = { name: "none", initialFloat: () => 50, decide: () => [] };
    const r = await run(book, none, noCosts, { from: 0, to: 2, warmupDays: 0 });
    assert.equal(r.transfers, 9);
    assert.equal(r.failed, 4);
    // Time-average float: day 0 (50+20)/2 = 35, day 1 (20+0)/2 = 10, day 2 0 → 45/3 = 15.
    assert.equal(r.avg_float, 15);
    assert.ok(Math.abs(r.cost_usd.idle_float - 45 * 0.0001) < 1e-12);
  });

  it("delivers an order with lead L placed at the end of day d for the transfers of day d + L + 1", async () => {
    // (s, S) = (40, 60) with lead 1. Start 60. End of day 0: float 30, position 30 < 40 → order 30, usable day 2.
    // Day 1: 30 → 0 (3 served). End of day 1: position 0 + 30 = 30 < 40 → order 30 (usable day 3).
    // Day 2: 0 + 30 = 30 → 0. And so on: never a failure, 3 orders over days 0–2.
    const book = new TransferBook([spec], flat);
    const policy = thresholdPolicy([{ s: 40, S: 60, supply: { leadDays: 1, feeBps: 10, crossChain: true } }]);
    const r = await run(book, policy, { gasPerOrderUsd: 0.01, crossChainGasUsd: 0.1 }, { from: 0, to: 2, warmupDays: 0 });
    assert.equal(r.failed, 0);
    assert.equal(r.rebalances, 3);
    assert.equal(r.cross_chain_rebalances, 3);
    // Fees: 3 × 30 × 10 bps = 0.09; gas 3 × (0.01 + 0.1) = 0.33.
    assert.ok(Math.abs(r.cost_usd.fees - 0.09) < 1e-12);
    assert.ok(Math.abs(r.cost_usd.gas - 0.33) < 1e-12);
  });

  it("the none policy starts from its stated number of days of recent demand", () => {
    const book = new TransferBook([spec], flat);
    assert.equal(nonePolicy(book, 30, 7).initialFloat(0, 10), 900);
  });

  it("the forecast policy plans from history up to the day it plans on, never later", async () => {
    const seen: number[] = [];
    // A forecaster that records how much history it got and forecasts 30 a day (P50 = P90 = P99).
    const spy: Forecaster = {
      name: "spy",
      async forecast(histories: SeriesHistory[], horizon: number) {
        seen.push(histories[0]!.values.length);
        const v = Float64Array.from({ length: horizon }, () => 30);
        return histories.map((h) => ({ id: h.id, quantiles: new Map([[0.1, v], [0.5, v], [0.9, v], [0.99, v]]) }));
      },
    };
    const book = new TransferBook([spec], flat);
    const demand = [Float64Array.from({ length: 40 }, (_, d) => flat(d))];
    const policy = forecastPolicy({
      book,
      forecaster: spy,
      demand,
      startDate: "1998-01-05",
      country: "GB",
      leadDays: [1],
      treasuries: [{ id: "t", chain: "hedera", asset: "USDC", available: 1e9 }],
      routes: [{ from: "hedera", to: "hedera", kind: "same-chain", feeBps: 0, leadTimeSteps: 1 }],
      costs: costs({ pricesUsd: { USDC: 1 } }),
      config: { floorQuantile: 0.9, minOrderUsd: 0 }, // orders here are $30, below the default $50 minimum
    });
    const r = await run(book, policy, noCosts, { from: 20, to: 25, warmupDays: 3 });
    // Initial float planned at the end of day 16 (17 values), then one plan per day 17 … 25 (18 … 26 values).
    assert.deepEqual(seen, [17, 18, 19, 20, 21, 22, 23, 24, 25, 26]);
    // Floor = 2 days × 30 = 60: order-up-to 60 with lead 1 serves every transfer.
    assert.equal(r.failed, 0);
    assert.ok(r.rebalances >= 5);
  });
});
