import assert from "node:assert/strict";
import { describe, it } from "node:test";
import hre, { network } from "hardhat";
import { getAddress, maxUint256, parseEventLogs, zeroHash, type Address } from "viem";

import { deployWorld, ngn, PARAMS, ROLES, USD_NGN, usd, XAU_USD, xau } from "./helpers/pool.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const publicClient = await viem.getPublicClient();

/**
 * The pool world plus: a second naira pool with a wider spread (cNGN/USDC), a gold pool (USDC/XAUt),
 * and a pool of a fourth token, USDT, against gold only, so that cNGN -> USDT has no single hop.
 */
async function routed() {
  const w = await deployWorld(conn);
  const { admin, lp } = w.wallets;
  const usdt = await viem.deployContract("TestERC20", ["Tether", "USDT", 6]);

  async function pool(name: string, assets: { token: Address; feedId: `0x${string}`; inverted: boolean; amount: bigint }[], spreadBps: number) {
    const p = await viem.deployContract("LiquidityPool", [
      name,
      name,
      w.oracle.address,
      assets.map(({ token, feedId, inverted }) => ({ token, feedId, inverted, weightBps: 10_000 / assets.length })),
      { ...PARAMS, spreadBps },
      admin.account.address,
    ]);
    for (const a of assets) {
      const token = await viem.getContractAt("TestERC20", a.token);
      await token.write.mint([lp.account.address, a.amount]);
      await token.write.approve([p.address, maxUint256], { account: lp.account });
      await p.write.deposit([a.token, a.amount, 0n, lp.account.address], { account: lp.account });
    }
    await p.write.grantRole([ROLES.PAUSER, w.wallets.pauser.account.address]);
    return p;
  }

  const wideNaira = await pool(
    "Naira wide",
    [
      { token: w.cNGN.address, feedId: USD_NGN, inverted: true, amount: ngn("300000000") },
      { token: w.USDC.address, feedId: zeroHash, inverted: false, amount: usd("200000") },
    ],
    30,
  );
  const gold = await pool(
    "Gold",
    [
      { token: w.USDC.address, feedId: zeroHash, inverted: false, amount: usd("265000") },
      { token: w.XAUt.address, feedId: XAU_USD, inverted: false, amount: xau("100") },
    ],
    10,
  );
  const tether = await pool(
    "Tether gold",
    [
      { token: usdt.address, feedId: zeroHash, inverted: false, amount: usd("265000") },
      { token: w.XAUt.address, feedId: XAU_USD, inverted: false, amount: xau("100") },
    ],
    10,
  );
  for (const p of [wideNaira, gold, tether]) await w.router.write.addPool([p.address]);
  await usdt.write.mint([w.wallets.trader.account.address, usd("1000000")]);
  await usdt.write.approve([w.router.address, maxUint256], { account: w.wallets.trader.account });
  return { ...w, usdt, wideNaira, gold, tether };
}
const fixture = () => networkHelpers.loadFixture(routed);
type Routed = Awaited<ReturnType<typeof routed>>;

async function deadline(seconds = 600n) {
  return BigInt(await networkHelpers.time.latest()) + seconds;
}

async function swapVia(r: Routed, tokens: Address[], pools: Address[], amountIn: bigint, minOut = 0n) {
  const trader = r.wallets.trader.account;
  return r.router.write.swap([tokens, pools, amountIn, minOut, trader.address, await deadline()], { account: trader });
}

describe("Router: registry", () => {
  it("starts with the admin and no pools but those added, up to MAX_POOLS", async () => {
    const r = await fixture();
    assert.equal(await r.router.read.hasRole([ROLES.ADMIN, r.wallets.admin.account.address]), true);
    assert.equal(await r.router.read.MAX_POOLS(), 8n);
    assert.deepEqual(
      await r.router.read.pools(),
      [r.pool, r.wideNaira, r.gold, r.tether].map((p) => getAddress(p.address)),
    );
    assert.equal(await r.router.read.isPool([r.gold.address]), true);
    assert.equal(await r.router.read.isPool([r.cNGN.address]), false);
  });

  it("lets only the admin add and remove pools", async () => {
    const r = await fixture();
    const outsider = r.wallets.outsider.account;
    for (const call of [
      () => r.router.write.addPool([r.cNGN.address], { account: outsider }),
      () => r.router.write.removePool([r.pool.address], { account: outsider }),
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(call(), r.router, "AccessControlUnauthorizedAccount", [
        getAddress(outsider.address),
        ROLES.ADMIN,
      ]);
    }
  });

  it("adds a pool once, refuses accounts without code and a ninth pool, and emits PoolAdded", async () => {
    const r = await fixture();
    await viem.assertions.revertWithCustomErrorWithArgs(r.router.write.addPool([r.pool.address]), r.router, "PoolExists", [
      getAddress(r.pool.address),
    ]);
    const eoa = r.wallets.outsider.account.address;
    await viem.assertions.revertWithCustomErrorWithArgs(r.router.write.addPool([eoa]), r.router, "UnknownPool", [getAddress(eoa)]);
    const extra: Address[] = [];
    for (let k = 0; k < 5; k++) extra.push((await viem.deployContract("TestERC20", ["X", "X", 6])).address);
    await viem.assertions.emitWithArgs(r.router.write.addPool([extra[0]!]), r.router, "PoolAdded", [getAddress(extra[0]!)]);
    for (const p of extra.slice(1, 4)) await r.router.write.addPool([p]);
    await viem.assertions.revertWithCustomErrorWithArgs(r.router.write.addPool([extra[4]!]), r.router, "TooManyPools", [8n]);
  });

  it("removes a pool from the list and the registry, emits PoolRemoved, and then refuses paths through it", async () => {
    const r = await fixture();
    await viem.assertions.emitWithArgs(r.router.write.removePool([r.pool.address]), r.router, "PoolRemoved", [getAddress(r.pool.address)]);
    assert.equal(await r.router.read.isPool([r.pool.address]), false);
    assert.deepEqual(
      [...(await r.router.read.pools())].sort(),
      [r.wideNaira, r.gold, r.tether].map((p) => getAddress(p.address)).sort(),
    );
    await viem.assertions.revertWithCustomErrorWithArgs(r.router.write.removePool([r.pool.address]), r.router, "UnknownPool", [
      getAddress(r.pool.address),
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      swapVia(r, [r.USDC.address, r.cNGN.address], [r.pool.address], usd("10")),
      r.router,
      "UnknownPool",
      [getAddress(r.pool.address)],
    );
    // Removing the last pool of the list works too.
    await r.router.write.removePool([r.tether.address]);
    assert.equal((await r.router.read.pools()).length, 2);
  });
});

describe("Router: swaps", () => {
  it("pulls the input straight into the pool and pays the quoted output to the recipient", async () => {
    const r = await fixture();
    const { trader, other } = r.wallets;
    const path = [r.USDC.address, r.cNGN.address];
    const quoted = await r.router.read.quote([path, [r.pool.address], usd("250")]);
    const [poolQuote] = await r.pool.read.quote([r.USDC.address, r.cNGN.address, usd("250")]);
    assert.equal(quoted, poolQuote);
    const usdcBefore = await r.USDC.read.balanceOf([trader.account.address]);
    const ngnBefore = await r.cNGN.read.balanceOf([other.account.address]);
    const hash = await r.router.write.swap([path, [r.pool.address], usd("250"), quoted, other.account.address, await deadline()], {
      account: trader.account,
    });
    assert.equal((await r.cNGN.read.balanceOf([other.account.address])) - ngnBefore, quoted);
    assert.equal(usdcBefore - (await r.USDC.read.balanceOf([trader.account.address])), usd("250"));
    assert.equal(await r.USDC.read.balanceOf([r.router.address]), 0n);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [event] = parseEventLogs({ abi: r.pool.abi, logs: receipt.logs, eventName: "Swap" });
    assert.equal(event?.args.sender, getAddress(r.router.address));
  });

  it("chains hops, each pool paying the next directly, and matches the chained quote", async () => {
    const r = await fixture();
    const trader = r.wallets.trader.account.address;
    const tokens = [r.cNGN.address, r.USDC.address, r.XAUt.address];
    const pools = [r.pool.address, r.gold.address];
    const amountIn = ngn("3000000");
    const quoted = await r.router.read.quote([tokens, pools, amountIn]);
    const [hop1] = await r.pool.read.quote([r.cNGN.address, r.USDC.address, amountIn]);
    const [hop2] = await r.gold.read.quote([r.USDC.address, r.XAUt.address, hop1]);
    assert.equal(quoted, hop2);
    const goldUsdcBefore = (await r.gold.read.reserves())[0]!;
    const xauBefore = await r.XAUt.read.balanceOf([trader]);
    await swapVia(r, tokens, pools, amountIn, quoted);
    assert.equal((await r.XAUt.read.balanceOf([trader])) - xauBefore, quoted);
    assert.equal((await r.gold.read.reserves())[0], goldUsdcBefore + hop1);
    for (const t of [r.cNGN, r.USDC, r.XAUt]) assert.equal(await t.read.balanceOf([r.router.address]), 0n);
  });

  it("refuses an expired deadline before anything else", async () => {
    const r = await fixture();
    const now = BigInt(await networkHelpers.time.latest());
    const trader = r.wallets.trader.account;
    await viem.assertions.revertWithCustomError(
      r.router.write.swap([[], [], 0n, 0n, trader.address, now - 1n], { account: trader }),
      r.router,
      "Expired",
    );
    await viem.assertions.revertWithCustomError(
      r.router.write.swapBest([r.USDC.address, r.cNGN.address, usd("1"), 0n, trader.address, now - 1n], { account: trader }),
      r.router,
      "Expired",
    );
  });

  it("refuses an output below the minimum, checked on the final amount", async () => {
    const r = await fixture();
    const tokens = [r.cNGN.address, r.USDC.address, r.XAUt.address];
    const pools = [r.pool.address, r.gold.address];
    const quoted = await r.router.read.quote([tokens, pools, ngn("3000000")]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      swapVia(r, tokens, pools, ngn("3000000"), quoted + 1n),
      r.router,
      "InsufficientOutput",
      [quoted, quoted + 1n],
    );
  });

  it("refuses malformed paths, unknown pools, a pool visited twice and a zero amount, in quotes as in swaps", async () => {
    const r = await fixture();
    const { USDC, cNGN, XAUt, pool, gold } = r;
    const stranger = r.wallets.outsider.account.address;
    const cases: [Address[], Address[], bigint, string][] = [
      [[USDC.address], [], usd("1"), "InvalidPath"],
      [[USDC.address, cNGN.address], [pool.address, gold.address], usd("1"), "InvalidPath"],
      [[USDC.address, cNGN.address, USDC.address], [pool.address, pool.address], usd("1"), "InvalidPath"],
      [[USDC.address, XAUt.address], [stranger], usd("1"), "UnknownPool"],
      [[USDC.address, cNGN.address], [pool.address], 0n, "ZeroAmount"],
    ];
    for (const [tokens, pools, amount, error] of cases) {
      await viem.assertions.revertWithCustomError(swapVia(r, tokens, pools, amount), r.router, error as "InvalidPath");
      await viem.assertions.revertWithCustomError(r.router.read.quote([tokens, pools, amount]), r.router, error as "InvalidPath");
    }
  });
});

describe("Router: best path", () => {
  it("picks the better of two pools holding both tokens", async () => {
    const r = await fixture();
    const amount = usd("1000");
    const [narrow] = await r.pool.read.quote([r.USDC.address, r.cNGN.address, amount]);
    const [wide] = await r.wideNaira.read.quote([r.USDC.address, r.cNGN.address, amount]);
    assert.ok(narrow > wide);
    const [out, tokens, pools] = await r.router.read.bestQuote([r.USDC.address, r.cNGN.address, amount]);
    assert.equal(out, narrow);
    assert.deepEqual(tokens, [getAddress(r.USDC.address), getAddress(r.cNGN.address)]);
    assert.deepEqual(pools, [getAddress(r.pool.address)]);

    // Make the other pool cheaper and the choice follows.
    await r.wideNaira.write.setParams([{ ...PARAMS, spreadBps: 0, imbalanceSlope: 0n }]);
    const [out2, , pools2] = await r.router.read.bestQuote([r.USDC.address, r.cNGN.address, amount]);
    assert.deepEqual(pools2, [getAddress(r.wideNaira.address)]);
    assert.equal(out2, (await r.wideNaira.read.quote([r.USDC.address, r.cNGN.address, amount]))[0]);
  });

  it("finds a two-hop path through an intermediate asset when no pool holds both tokens", async () => {
    const r = await fixture();
    const amount = ngn("1500000");
    const [out, tokens, pools] = await r.router.read.bestQuote([r.cNGN.address, r.usdt.address, amount]);
    assert.deepEqual(tokens, [r.cNGN.address, r.XAUt.address, r.usdt.address].map((a) => getAddress(a)));
    assert.deepEqual(pools, [r.pool.address, r.tether.address].map((a) => getAddress(a)));
    assert.equal(out, await r.router.read.quote([tokens as Address[], pools as Address[], amount]));
  });

  it("prefers a two-hop path when it pays more than every single hop", async () => {
    const r = await fixture();
    // Widen both naira pools' spreads so that going through gold pays more for XAUt -> cNGN... via USDC.
    await r.pool.write.setParams([{ ...PARAMS, spreadBps: 500 }]);
    await r.wideNaira.write.setParams([{ ...PARAMS, spreadBps: 0, imbalanceSlope: 0n }]);
    const amount = xau("1");
    const [direct] = await r.pool.read.quote([r.XAUt.address, r.cNGN.address, amount]);
    const [out, tokens, pools] = await r.router.read.bestQuote([r.XAUt.address, r.cNGN.address, amount]);
    assert.ok(out > direct);
    assert.equal(pools.length, 2);
    assert.equal(tokens[1], getAddress(r.USDC.address));
  });

  it("skips a pool whose quote reverts and says NoRoute when nothing is left", async () => {
    const r = await fixture();
    await r.pool.write.pause({ account: r.wallets.pauser.account });
    const [, , pools] = await r.router.read.bestQuote([r.USDC.address, r.cNGN.address, usd("1000")]);
    assert.deepEqual(pools, [getAddress(r.wideNaira.address)]);
    await r.wideNaira.write.pause({ account: r.wallets.pauser.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.router.read.bestQuote([r.USDC.address, r.cNGN.address, usd("1000")]),
      r.router,
      "NoRoute",
      [getAddress(r.USDC.address), getAddress(r.cNGN.address)],
    );
    const stranger = r.wallets.outsider.account.address;
    await viem.assertions.revertWithCustomError(r.router.read.bestQuote([stranger, r.cNGN.address, 1n]), r.router, "NoRoute");
    await viem.assertions.revertWithCustomError(r.router.read.bestQuote([r.cNGN.address, r.cNGN.address, 1n]), r.router, "InvalidPath");
    await viem.assertions.revertWithCustomError(r.router.read.bestQuote([r.USDC.address, r.cNGN.address, 0n]), r.router, "ZeroAmount");
  });

  it("swapBest executes the best path and pays what bestQuote promised", async () => {
    const r = await fixture();
    const trader = r.wallets.trader.account;
    for (const [from, to, amount] of [
      [r.USDC.address, r.cNGN.address, usd("700")],
      [r.cNGN.address, r.usdt.address, ngn("1500000")],
    ] as const) {
      const [quoted] = await r.router.read.bestQuote([from, to, amount]);
      const token = await viem.getContractAt("TestERC20", to);
      const before = await token.read.balanceOf([trader.address]);
      await r.router.write.swapBest([from, to, amount, quoted, trader.address, await deadline()], { account: trader });
      assert.equal((await token.read.balanceOf([trader.address])) - before, quoted);
    }
    const [quoted] = await r.router.read.bestQuote([r.USDC.address, r.cNGN.address, usd("700")]);
    await viem.assertions.revertWithCustomError(
      r.router.write.swapBest([r.USDC.address, r.cNGN.address, usd("700"), quoted + 1n, trader.address, await deadline()], {
        account: trader,
      }),
      r.router,
      "InsufficientOutput",
    );
  });
});

/** Coverage instrumentation adds gas to every call, so the gas bound is only checked without it. */
const gasCheck = { skip: hre.globalOptions.coverage ? "gas is inflated under coverage" : false };

describe("Router: gas", () => {
  it("keeps a steady-state single-hop swap through the router under 102,000 gas", gasCheck, async () => {
    const r = await fixture();
    const path = [r.USDC.address, r.cNGN.address];
    let gas = 0n;
    // The first swap warms the trader's and pool's balances the way a live system has them.
    for (let k = 0; k < 2; k++) {
      const hash = await swapVia(r, path, [r.pool.address], usd("100"));
      gas = (await publicClient.waitForTransactionReceipt({ hash })).gasUsed;
    }
    console.log(`      single-hop router swap: ${gas} gas`);
    assert.ok(gas <= 102_000n, `single-hop swap cost ${gas} gas`);
  });
});

