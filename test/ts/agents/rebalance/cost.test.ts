/**
 * The cost model's parts against hand arithmetic.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import {
  carryUsd,
  cctpFeeBps,
  convexSegments,
  excessFee,
  gasUsd,
  hederaGasPriceWeibar,
  shortfallFee,
  swapCost,
} from "../../../../agents/liquidity/rebalance/cost.js";
import { near } from "./fixture.js";

describe("cost model", () => {
  it("prices gas at Hedera's rate: $0.0000000852 per gas at HBAR $0.20 is 43 tinybar = 430 gwei-bar per gas", () => {
    // 0.0000000852 / 0.20 = 4.26e-7 HBAR per gas = 42.6 tinybar → 43 (whole tinybars) → 43 × 10^10 weibar.
    assert.equal(hederaGasPriceWeibar(0.2), 430_000_000_000n);
    // One rebalance (121,421 gas): 121,421 × 4.3e11 weibar × $0.20 / 1e18 = $0.010442...
    assert.ok(near(gasUsd(121_421, { gasPriceWeibar: 4.3e11, hbarUsd: 0.2 }), 0.01044221, 1e-6));
    assert.throws(() => hederaGasPriceWeibar(0), /HBAR price must be positive/);
  });

  it("charges CCTP Standard nothing and Fast by source chain", () => {
    assert.equal(cctpFeeBps("ethereum", "cctp-standard"), 0);
    assert.equal(cctpFeeBps("base", "cctp-fast"), 1);
    assert.equal(cctpFeeBps("linea", "cctp-fast"), 14);
    assert.equal(cctpFeeBps("somewhere-new", "cctp-fast"), 14); // unknown: top of Circle's range, not a guess low
    assert.throws(() => cctpFeeBps("avalanche", "cctp-fast"), /not offered from avalanche/);
  });

  it("charges idle float pro rata: $1M for one day at 5 % a year is $136.99", () => {
    assert.ok(near(carryUsd(1_000_000, 24, 0.05), 1_000_000 * 0.05 / 365));
  });

  it("ports the pool's imbalance fees: slope · (x1² − x0²) / (2 · target)", () => {
    // Target 1,000, reserve 1,000, slope 0.2: adding 100 → excess 0 → 100: 0.2 × 100² / 2000 = 1.
    assert.equal(excessFee(1_000, 1_000, 100, 0.2), 1);
    // Below target nothing is charged on the way in.
    assert.equal(excessFee(800, 1_000, 100, 0.2), 0);
    // Paying 100 out of a reserve 50 below target: shortfall 50 → 150: 0.2 × (150² − 50²) / 2000 = 2.
    assert.equal(shortfallFee(950, 1_000, 100, 0.2), 2);
  });

  it("costs a swap as spread + in-side + out-side fees at the oracle price", () => {
    // Out leg at target 1,000 (price $1), deliver 100: shortfall fee 0.2 × 100² / 2000 = 1 → gross 101 / (1 − 0.001).
    // In leg (price $2) well below target: no excess fee. amountIn = 101/0.999/2; cost = 2·amountIn − 100.
    const { costUsd, amountIn } = swapCost({ reserve: 0, target: 1e9, priceUsd: 2 }, { reserve: 1_000, target: 1_000, priceUsd: 1 }, 100, 10, 0.2);
    assert.ok(near(amountIn, 101 / 0.999 / 2));
    assert.ok(near(costUsd, 101 / 0.999 - 100));
  });

  it("cuts a convex fee curve into increasing segments that are exact at their ends", () => {
    const segments = convexSegments((v) => v * v, 4, 4); // fee v²: slopes 1, 3, 5, 7
    assert.deepEqual(segments.map((s) => s.costPerUsd), [1, 3, 5, 7]);
    assert.equal(segments.reduce((sum, s) => sum + s.capacityUsd * s.costPerUsd, 0), 16);
    assert.deepEqual(convexSegments((v) => v, 0), []);
  });
});
