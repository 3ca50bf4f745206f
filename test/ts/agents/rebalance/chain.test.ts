/**
 * The plan's calls on the real LiquidityPool (in-process chain): read the pool, plan, send every call
 * as the keeper. None reverts, the pool ends at its target, and the same move as one call is refused
 * as RebalanceTooLarge — so the planner's bounds are the contract's.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import type { Address } from "viem";

import { callToBaseUnits, poolInputFromChain, type PoolView } from "../../../../agents/liquidity/rebalance/chain.js";
import { plan } from "../../../../agents/liquidity/rebalance/index.js";
import { deployWorld, usd, type World } from "../../helpers/pool.js";
import { costs, floorOf } from "./fixture.js";

const conn = await network.create();
const { viem } = conn;

const SYMBOLS = ["cNGN", "USDC", "XAUt"] as const;

async function readPool(w: World): Promise<PoolView> {
  const [assets, reserves, totalValueWad, params] = await Promise.all([w.pool.read.assets(), w.pool.read.reserves(), w.pool.read.totalValue(), w.pool.read.params()]);
  return {
    id: "mtn-ng",
    label: "MTN-NG",
    chain: "hedera",
    totalValueWad,
    params: { spreadBps: params.spreadBps, imbalanceSlope: params.imbalanceSlope, maxRebalanceBps: params.maxRebalanceBps },
    assets: await Promise.all(
      assets.map(async (a, i) => ({
        symbol: SYMBOLS[i]!,
        token: a.token as Address,
        decimals: 6,
        weightBps: a.weightBps,
        reserve: reserves[i]!,
        priceWad: await w.pool.read.priceOf([a.token]),
      })),
    ),
  };
}

describe("rebalance plan on the real pool", () => {
  it("sends calls the contract accepts, split at maxRebalanceBps, and fills cNGN to its target", async () => {
    const w = await deployWorld(conn);
    const publicClient = await viem.getPublicClient();
    // Cash-outs drain naira: $250k of USDC → cNGN leaves cNGN ~$250k below target and USDC above.
    await w.USDC.write.transfer([w.pool.address, usd("250000")], { account: w.wallets.trader.account });
    await w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("250000"), 0n, w.wallets.trader.account.address], { account: w.wallets.trader.account });

    const view = await readPool(w);
    const keeper = w.wallets.keeper;
    const keeperNgn = Number(await w.cNGN.read.balanceOf([keeper.account.address])) / 1e6;
    // A floor well above the target: the plan fills to the target and reports the rest.
    const { pool, pricesUsd } = poolInputFromChain(view, { cNGN: { forecast: floorOf(1e12, 2), leadTimeSteps: 1 } });
    const result = plan({
      now: "2026-03-02T06:00:00Z",
      mode: "automatic",
      pools: [pool],
      treasuries: [{ id: "keeper", chain: "hedera", asset: "cNGN", available: keeperNgn }],
      costs: costs({ pricesUsd, valueHaircutBps: 1 }),
    });
    assert.equal(result.orders.length, 1);
    assert.deepEqual(result.findings.map((f) => f.kind), ["floor-above-target"]);
    const calls = result.orders[0]!.calls;
    assert.ok(calls.length >= 3, `a ~$250k move at 10 % of ~$1M per call needs ≥ 3 calls, got ${calls.length}`);

    const tokens = Object.fromEntries(view.assets.map((a) => [a.symbol, { token: a.token, decimals: a.decimals }]));
    // The whole move as one call is refused: the split is needed.
    const whole = callToBaseUnits(
      { pool: "mtn-ng", tokenIn: "cNGN", amountIn: result.orders[0]!.amount, tokenOut: calls[0]!.tokenOut, amountOut: calls.reduce((s, c) => s + (c.tokenOut === calls[0]!.tokenOut ? c.amountOut : 0), 0) },
      tokens,
    );
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([whole.tokenIn, whole.amountIn, whole.tokenOut, whole.amountOut], { account: keeper.account }),
      w.pool,
      "RebalanceTooLarge",
    );

    const valueBefore = await w.pool.read.totalValue();
    for (const call of calls) {
      const c = callToBaseUnits(call, tokens);
      const hash = await w.pool.write.rebalance([c.tokenIn, c.amountIn, c.tokenOut, c.amountOut], { account: keeper.account });
      assert.equal((await publicClient.waitForTransactionReceipt({ hash })).status, "success");
    }
    const after = await readPool(w);
    const cngn = poolInputFromChain(after).pool.assets[0]!;
    assert.ok(cngn.holding <= cngn.target!, "cNGN may not end above its target");
    // The 1 bp haircut the keeper leaves in the pool raises pool value and so the target a little
    // (~$25 on $250k, 40 % of it in naira ≈ ₦14k): the pool ends just under its new target.
    assert.ok(cngn.target! - cngn.holding < cngn.target! * 1e-4, `cNGN ends within 0.01 % of its target, off by ₦${cngn.target! - cngn.holding}`);
    // The contract checked every call against the targets of that moment (all succeeded). What was
    // given back (USDC, the asset most above target) ends at most 0.01 % under the final, haircut-raised
    // target; XAUt, already a little under its target (the swap's fees raised pool value), is untouched.
    const final = Object.fromEntries(poolInputFromChain(after).pool.assets.map((a) => [a.asset, a]));
    assert.deepEqual([...new Set(calls.map((c) => c.tokenOut))], ["USDC"]);
    assert.ok(final.USDC!.holding >= final.USDC!.target! * (1 - 1e-4), "USDC ends far below target");
    assert.equal(final.XAUt!.holding, pool.assets[2]!.holding);
    assert.ok((await w.pool.read.totalValue()) >= valueBefore, "the pool never loses value to a rebalance");
  });
});
