/**
 * plan() on hand-made cases whose answer is written out: least cost first, a case where filling one
 * pool at a time goes wrong, the on-chain bounds (split calls, target caps), nothing to do, not enough
 * anywhere, treasury swaps, modes and deterministic ids.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { plan, PlanInputError, type PoolInput, type RouteInput } from "../../../../agents/liquidity/rebalance/index.js";
import { swapCost } from "../../../../agents/liquidity/rebalance/cost.js";
import { BOUNDS, costs, daily, floorOf, input, near, pool } from "./fixture.js";

const cctp: RouteInput[] = [
  { from: "base", to: "hedera", kind: "cctp-fast", feeBps: 1, leadTimeSteps: 1 },
  { from: "base", to: "hedera", kind: "cctp-standard", feeBps: 0, leadTimeSteps: 2 },
];

/** A cNGN-short pool: ₦200M held, targets ₦500M cNGN / $500k USDC; pool value $1M, so $100k per call. */
function shortPool(floorNaira: number): PoolInput {
  return {
    ...pool("MTN-NG", "hedera", [
      { asset: "cNGN", holding: 200e6, target: 500e6, forecast: floorOf(floorNaira, 2), leadTimeSteps: 1, reasons: ["payroll day"] },
      { asset: "USDC", holding: 800_000, target: 500_000 },
    ]),
    label: "MTN-NG",
  };
}

describe("plan: least cost across pools and chains", () => {
  it("fills one pool from the cheapest sources first: pool surplus, then treasury, then CCTP Fast", () => {
    // X needs $100k USDC (floor 100k over lead 1 + review 1, holding 0).
    // Y holds 80k with its own floor 50k → 30k surplus at no fee.
    // Treasury on Hedera: 50k, no fee. Treasury on Base: CCTP Fast 1 bps (Standard takes 2 steps > X's lead of 1).
    // Answer: 30k from Y, 50k from the Hedera treasury, 20k over CCTP Fast costing 20,000 × 0.0001 = $2.
    const result = plan(input(
      [
        pool("X", "hedera", [{ asset: "USDC", holding: 0, forecast: floorOf(100_000, 2), leadTimeSteps: 1 }], null),
        pool("Y", "hedera", [{ asset: "USDC", holding: 80_000, forecast: floorOf(50_000, 2), leadTimeSteps: 1 }], null),
      ],
      {
        treasuries: [
          { id: "hedera-ops", chain: "hedera", asset: "USDC", available: 50_000 },
          { id: "base-ops", chain: "base", asset: "USDC", available: 1_000_000 },
        ],
        routes: cctp,
      },
    ));
    const got = result.orders.map((o) => [o.source.id, o.route.kind, Math.round(o.amount)]);
    assert.deepEqual(got.sort(), [["Y", "same-chain", 30_000], ["base-ops", "cctp-fast", 20_000], ["hedera-ops", "same-chain", 50_000]].sort());
    const cctpOrder = result.orders.find((o) => o.route.kind === "cctp-fast")!;
    assert.ok(near(cctpOrder.cost.feeUsd, 2));
    assert.deepEqual(result.findings, []);
  });

  it("gives each pool a source that arrives in time, where filling pools one at a time would leave one short", () => {
    // X (lead 1) and W (lead 0) each need $100k. Hedera treasury: 100k, immediate. Base treasury: 100k, CCTP Fast, 1 step.
    // One at a time, X would take the Hedera money (cheaper) and W — which cannot wait a step — would get nothing.
    // Optimal: Hedera → W, Base → X; cost 100,000 × 1 bps = $10; nobody short.
    const result = plan(input(
      [
        pool("X", "hedera", [{ asset: "USDC", holding: 0, forecast: floorOf(100_000, 2), leadTimeSteps: 1 }], null),
        pool("W", "hedera", [{ asset: "USDC", holding: 0, forecast: floorOf(100_000, 1), leadTimeSteps: 0 }], null),
      ],
      {
        treasuries: [
          { id: "hedera-ops", chain: "hedera", asset: "USDC", available: 100_000 },
          { id: "base-ops", chain: "base", asset: "USDC", available: 100_000 },
        ],
        routes: cctp,
      },
    ));
    const byPool = Object.fromEntries(result.orders.map((o) => [o.pool, [o.source.id, Math.round(o.amount)]]));
    assert.deepEqual(byPool, { W: ["hedera-ops", 100_000], X: ["base-ops", 100_000] });
    // $10 of CCTP fee plus the default $0.10 of burn-and-mint gas for the one cross-chain order.
    assert.ok(near(result.orders.find((o) => o.pool === "X")!.cost.feeUsd, 10));
    assert.ok(near(result.totalCostUsd, 10.1));
    assert.deepEqual(result.findings, []);
  });
});

describe("plan: on-chain bounds", () => {
  const treasury = [{ id: "ngn-ops", chain: "hedera", asset: "cNGN", available: 1e9 }];

  it("splits a move larger than maxRebalanceBps of pool value into several calls", () => {
    // Floor ₦450M, holding ₦200M → gap ₦250M ($250k). Pool value $200k + $800k = $1M; 10 % → $100k per call.
    // Calls: ₦100M, ₦100M, ₦50M in, each taking back the same value of USDC (haircut 0 here): 100k, 100k, 50k.
    const result = plan(input([shortPool(450e6)], { treasuries: treasury }));
    assert.equal(result.orders.length, 1);
    const order = result.orders[0]!;
    assert.equal(order.amount, 250e6);
    assert.deepEqual(order.calls.map((c) => [c.tokenIn, Math.round(c.amountIn), c.tokenOut, Math.round(c.amountOut)]), [
      ["cNGN", 100e6, "USDC", 100_000],
      ["cNGN", 100e6, "USDC", 100_000],
      ["cNGN", 50e6, "USDC", 50_000],
    ]);
    // Gas: 3 × 121,421 gas × 4.3e11 weibar × $0.20 / 1e18 = $0.03133.
    assert.ok(near(order.cost.gasUsd, (3 * 121_421 * 4.3e11 * 0.2) / 1e18));
    assert.deepEqual(result.findings, []);
  });

  it("fills only up to the target when the floor is above it, and says what more is needed", () => {
    // Floor ₦600M, holding ₦200M: gap ₦400M, but a rebalance may not take cNGN above its ₦500M target:
    // ₦300M by rebalance (3 calls of $100k), ₦100M reported as needing an LP deposit.
    const result = plan(input([shortPool(600e6)], { treasuries: treasury }));
    assert.equal(result.orders[0]!.amount, 300e6);
    assert.equal(result.orders[0]!.calls.length, 3);
    assert.equal(result.findings.length, 1);
    const finding = result.findings[0]!;
    assert.equal(finding.kind, "floor-above-target");
    assert.equal(finding.amount, 100e6);
    assert.match(finding.text, /floor ₦600M is above the on-chain cNGN target ₦500M.*₦100M more needs an LP deposit/);
  });

  it("takes back the asset most above target first and keeps every call inside the bounds (1 bp haircut)", () => {
    // Weights 50/30/20 of $1M: cNGN ₦200M (target ₦500M), USDC $500k (target $300k, +$200k), XAUt 75 oz (target 50, +$100k).
    const p = pool("MTN-NG", "hedera", [
      { asset: "cNGN", holding: 200e6, target: 500e6, forecast: floorOf(500e6, 2), leadTimeSteps: 1 },
      { asset: "USDC", holding: 500_000, target: 300_000 },
      { asset: "XAUt", holding: 75, target: 50 },
    ]);
    const result = plan(input([p], { treasuries: treasury, costs: costs({ valueHaircutBps: 1 }) }));
    const calls = result.orders.flatMap((o) => o.calls);
    assert.equal(calls[0]!.tokenOut, "USDC");
    const price = { cNGN: 0.001, USDC: 1, XAUt: 4_000 } as Record<string, number>;
    const held = { cNGN: 200e6, USDC: 500_000, XAUt: 75 } as Record<string, number>;
    for (const c of calls) {
      const valueIn = c.amountIn * price[c.tokenIn]!;
      const valueOut = c.amountOut * price[c.tokenOut]!;
      assert.ok(valueIn <= 100_000 + 1e-6, `call brings in $${valueIn} > $100k`);
      assert.ok(valueOut <= valueIn * (1 - 1e-4) + 1e-9, "value out must stay ≤ value in less the haircut");
      held[c.tokenIn]! += c.amountIn;
      held[c.tokenOut]! -= c.amountOut;
      assert.ok(held.cNGN! <= 500e6 + 1e-3 && held.USDC! >= 300_000 - 1e-6 && held.XAUt! >= 50 - 1e-9, "a call crossed a target");
    }
    // All $300k of the gap arrives; the pool hands back $300k less 1 bp.
    assert.ok(near(held.cNGN!, 500e6));
    assert.ok(result.orders[0]!.cost.haircutUsd > 29.9 && result.orders[0]!.cost.haircutUsd < 30.1); // 1 bp of $300k = $30
  });
});

describe("plan: nothing to do, not enough anywhere", () => {
  it("places nothing when every pool is at or above its floor", () => {
    const result = plan(input([shortPool(150e6)], { treasuries: [{ id: "t", chain: "hedera", asset: "cNGN", available: 1e9 }] }));
    assert.deepEqual(result.orders, []);
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.explanations, []);
    assert.equal(result.floors[0]!.gap, 0);
  });

  it("moves what there is from another pool and reports the rest as short", () => {
    // X needs ₦250M. Y holds ₦800M with floor ₦600M and target ₦500M → surplus ₦200M (above both). No treasury.
    // Answer: ₦200M from Y (2 calls on Y bringing USDC in, 2 on X taking USDC back), short by ₦50M.
    const y = pool("Y", "hedera", [
      { asset: "cNGN", holding: 800e6, target: 500e6, forecast: floorOf(600e6, 2), leadTimeSteps: 1 },
      { asset: "USDC", holding: 200_000, target: 500_000 },
    ]);
    const result = plan(input([shortPool(450e6), y]));
    assert.equal(result.orders.length, 1);
    const order = result.orders[0]!;
    assert.equal(order.source.kind, "pool");
    assert.equal(order.source.id, "Y");
    assert.ok(near(order.amount, 200e6));
    assert.deepEqual(order.calls.map((c) => [c.pool, c.tokenIn, c.tokenOut, Math.round(c.amountOut)]), [
      ["Y", "USDC", "cNGN", 100e6],
      ["Y", "USDC", "cNGN", 100e6],
      ["MTN-NG", "cNGN", "USDC", 100_000],
      ["MTN-NG", "cNGN", "USDC", 100_000],
    ]);
    assert.equal(result.findings.length, 1);
    assert.equal(result.findings[0]!.kind, "short");
    assert.ok(near(result.findings[0]!.amount!, 50e6));
    assert.match(result.findings[0]!.text, /MTN-NG pool: cNGN short by ₦50M/);
  });

  it("buys the asset with treasury USDC in another pool when nothing else has it, at that pool's fees", () => {
    // X needs ₦10M ($10k). Z holds ₦1,000M at its target (no floor of its own) and $1M USDC at target.
    // The treasury has only USDC: the swap pays spread, Z's USDC excess fee and Z's cNGN shortfall fee (~30 bps).
    const z = pool("Z", "hedera", [
      { asset: "cNGN", holding: 1_000e6, target: 1_000e6 },
      { asset: "USDC", holding: 1_000_000, target: 1_000_000 },
    ]);
    const x = pool("X", "hedera", [
      { asset: "cNGN", holding: 0, target: 500e6, forecast: floorOf(10e6, 1), leadTimeSteps: 0 },
      { asset: "USDC", holding: 1_000_000, target: 500_000 },
    ]);
    const result = plan(input([x, z], { treasuries: [{ id: "usd-ops", chain: "hedera", asset: "USDC", available: 50_000 }] }));
    assert.equal(result.orders.length, 1);
    const order = result.orders[0]!;
    assert.equal(order.swap?.pool, "Z");
    assert.ok(near(order.amount, 10e6));
    const expected = swapCost({ reserve: 1_000_000, target: 1_000_000, priceUsd: 1 }, { reserve: 1_000e6, target: 1_000e6, priceUsd: 0.001 }, 10e6, 10, 0.2);
    assert.ok(near(order.cost.swapUsd, expected.costUsd));
    assert.ok(expected.costUsd > 29 && expected.costUsd < 31, `about $10 spread + $10 + $10 fees, got ${expected.costUsd}`);
    assert.match(order.explanation, /bought with \$10k USDC in pool Z/);
  });

  it("refuses a route costlier than maxCostBps and reports the pool short instead", () => {
    const result = plan(input(
      [pool("X", "hedera", [{ asset: "USDC", holding: 0, forecast: floorOf(1_000, 1) }], null)],
      {
        treasuries: [{ id: "linea-ops", chain: "linea", asset: "USDC", available: 1e6 }],
        routes: [{ from: "linea", to: "hedera", kind: "cctp-fast", feeBps: 14, leadTimeSteps: 0 }],
        config: { maxCostBps: 10 },
      },
    ));
    assert.deepEqual(result.orders, []);
    assert.equal(result.findings[0]!.kind, "short");
  });
});

describe("plan: modes, ids and explanations", () => {
  const base = () => input([shortPool(450e6)], { treasuries: [{ id: "ngn-ops", chain: "hedera", asset: "cNGN", available: 1e9 }] });

  it("starts orders approved, pending approval or held by mode; paused says nothing will be sent", () => {
    assert.equal(plan({ ...base(), mode: "automatic" }).orders[0]!.status, "approved");
    assert.equal(plan({ ...base(), mode: "approve" }).orders[0]!.status, "pending-approval");
    const paused = plan({ ...base(), mode: "paused" });
    assert.equal(paused.orders[0]!.status, "held");
    assert.deepEqual(paused.findings.map((f) => f.text), ["Paused: 1 order planned and explained; none will be sent."]);
  });

  it("gives the same plan and order ids for the same input, and new ids for a new planning time", () => {
    const a = plan(base());
    const b = plan(base());
    assert.deepEqual(a, b);
    assert.match(a.orders[0]!.id, /^rb-[0-9a-f]{20}$/);
    const later = plan({ ...base(), now: "2026-03-02T07:00:00Z" });
    assert.notEqual(later.orders[0]!.id, a.orders[0]!.id);
  });

  it("explains an order in one sentence with currency, compact amounts and calendar reasons", () => {
    const [text] = plan(base()).explanations;
    assert.equal(
      text,
      "MTN-NG pool: forecast net cash-out ₦225M over the next 2 days, payroll day; floor ₦450M (P90), holding ₦200M; " +
        "moving ₦250M from treasury ngn-ops (3 rebalance calls, taking back $250k USDC), cost $0.0313.",
    );
  });

  it("refuses bad input with a message that says what to fix", () => {
    assert.throws(() => plan({ ...base(), now: "yesterday" }), (e: unknown) => e instanceof PlanInputError && /now must be an ISO 8601 time/.test(e.message));
    assert.throws(() => plan({ ...base(), mode: "yolo" as never }), /mode must be automatic, approve or paused/);
    assert.throws(() => plan({ ...base(), costs: costs({ pricesUsd: { USDC: 1 } }) }), /no USD price for cNGN/);
    const twice = base();
    twice.pools.push(twice.pools[0]!);
    assert.throws(() => plan(twice), /pool MTN-NG appears twice/);
    assert.throws(() => plan({ ...base(), pools: [pool("P", "hedera", [{ asset: "cNGN", holding: 0, forecast: daily([1], [2]) }])], config: { floorQuantile: 0.99 } }), /cannot give 0\.99/);
  });
});

describe("plan: dust", () => {
  it("does not place an order below minOrderUsd and says so once", () => {
    // Gap $20 of USDC, default minimum $50: no order, one below-minimum finding, no "short" on top.
    const result = plan(input(
      [pool("X", "hedera", [{ asset: "USDC", holding: 80, forecast: floorOf(100, 1) }], null)],
      { treasuries: [{ id: "t", chain: "hedera", asset: "USDC", available: 1e6 }] },
    ));
    assert.deepEqual(result.orders, []);
    assert.deepEqual(result.findings.map((f) => f.kind), ["below-minimum"]);
    assert.match(result.findings[0]!.text, /an order of \$20 USDC \(\$20\) is below the \$50 minimum/);
  });
});
