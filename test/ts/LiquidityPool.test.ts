import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, keccak256, parseEventLogs, toHex, zeroAddress, zeroHash, type Address } from "viem";

import {
  DAY,
  deployWorld,
  FEED_CONFIG,
  NGN_PER_USD,
  ngn,
  PARAMS,
  refreshRates,
  ROLES,
  SEED,
  USD_NGN,
  USD_PER_XAU,
  usd,
  WAD,
  XAU_USD,
  xau,
  type World,
} from "./helpers/pool.js";

const conn = await network.create();
const { viem, networkHelpers } = conn;
const publicClient = await viem.getPublicClient();

const SCALE = 10n ** 12n; // every test token has 6 decimals
const ceilDiv = (a: bigint, b: bigint) => (a === 0n ? 0n : (a - 1n) / b + 1n);
const PRICE = { cNGN: ceilDiv(10n ** 36n, NGN_PER_USD), USDC: WAD, XAUt: USD_PER_XAU } as const;
type Symbol = keyof typeof PRICE;
const valueOf = (symbol: Symbol, amount: bigint) => (amount * SCALE * PRICE[symbol]) / WAD;
const grossOut = (from: Symbol, to: Symbol, amountIn: bigint) =>
  (amountIn * SCALE * PRICE[from]) / (PRICE[to] * SCALE);
const spreadOf = (gross: bigint) => ceilDiv(gross * BigInt(PARAMS.spreadBps), 10_000n);
const anyValue = () => true;

async function world() {
  return deployWorld(conn);
}
const fixture = () => networkHelpers.loadFixture(world);

type Token = World["cNGN"];
const tokenOf = (w: World, s: Symbol): Token => w.tokens[s];

/** Pay-first swap straight on the pool; returns what the Swap event reports. */
async function swap(w: World, from: Symbol, to: Symbol, amountIn: bigint, account = w.wallets.trader.account) {
  await tokenOf(w, from).write.transfer([w.pool.address, amountIn], { account });
  const hash = await w.pool.write.swap([tokenOf(w, from).address, tokenOf(w, to).address, amountIn, 0n, account.address], {
    account,
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: w.pool.abi, logs: receipt.logs, eventName: "Swap" });
  if (!event) throw new Error("no Swap event");
  return { amountOut: event.args.amountOut, fee: event.args.feeOut };
}

async function poolValuePerShare(w: World) {
  return ((await w.pool.read.totalValue()) * WAD) / (await w.pool.read.totalSupply());
}

/** A seeded PRNG so that the "random" trades are the same on every run. */
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("LiquidityPool: construction", () => {
  it("holds its assets in order with their feeds, weights, the oracle, params and an 18-decimal share", async () => {
    const w = await fixture();
    const assets = await w.pool.read.assets();
    assert.deepEqual(
      assets.map((a) => [a.token, a.feedId, a.inverted, a.weightBps]),
      [
        [getAddress(w.cNGN.address), USD_NGN, true, 4_000],
        [getAddress(w.USDC.address), zeroHash, false, 4_000],
        [getAddress(w.XAUt.address), XAU_USD, false, 2_000],
      ],
    );
    assert.equal(await w.pool.read.oracle(), getAddress(w.oracle.address));
    assert.deepEqual(await w.pool.read.params(), PARAMS);
    assert.equal(await w.pool.read.decimals(), 18);
    assert.equal(await w.pool.read.symbol(), "JP-LP");
    assert.equal(await w.pool.read.MAX_ASSETS(), 4n);
    assert.equal(await w.pool.read.hasRole([ROLES.ADMIN, w.wallets.admin.account.address]), true);
  });

  function deployWith(w: World, overrides: { assets?: any[]; params?: any; oracle?: Address; admin?: Address }) {
    const assets = overrides.assets ?? [
      { token: w.cNGN.address, feedId: USD_NGN, inverted: true, weightBps: 5_000 },
      { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
    ];
    return viem.deployContract("LiquidityPool", [
      "P",
      "P",
      overrides.oracle ?? w.oracle.address,
      assets,
      overrides.params ?? PARAMS,
      overrides.admin ?? w.wallets.admin.account.address,
    ]);
  }

  it("refuses fewer than two or more than four assets", async () => {
    const w = await fixture();
    const extra = await viem.deployContract("TestERC20", ["E", "E", 6]);
    const extra2 = await viem.deployContract("TestERC20", ["F", "F", 6]);
    const one = [{ token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 10_000 }];
    const five = [w.cNGN, w.USDC, w.XAUt, extra, extra2].map((t) => ({
      token: t.address,
      feedId: zeroHash,
      inverted: false,
      weightBps: 2_000,
    }));
    for (const assets of [one, five]) {
      await viem.assertions.revertWithCustomError(deployWith(w, { assets }), w.pool, "InvalidParams");
    }
  });

  it("refuses weights that do not sum to 10 000 and zero weights", async () => {
    const w = await fixture();
    for (const [a, b] of [
      [5_000, 4_999],
      [10_000, 0],
    ]) {
      const deploy = deployWith(w, {
        assets: [
          { token: w.cNGN.address, feedId: USD_NGN, inverted: true, weightBps: a },
          { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: b },
        ],
      });
      await viem.assertions.revertWithCustomError(deploy, w.pool, "InvalidParams");
    }
  });

  it("refuses a zero token, oracle or admin", async () => {
    const w = await fixture();
    const zeroToken = [
      { token: zeroAddress, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
    ];
    for (const overrides of [{ assets: zeroToken }, { oracle: zeroAddress }, { admin: zeroAddress }]) {
      await viem.assertions.revertWithCustomError(deployWith(w, overrides), w.pool, "ZeroAddress");
    }
  });

  it("refuses the same token twice", async () => {
    const w = await fixture();
    const deploy = deployWith(w, {
      assets: [
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
    });
    await viem.assertions.revertWithCustomError(deploy, w.pool, "SameAsset");
  });

  it("refuses a token with more than 18 decimals", async () => {
    const w = await fixture();
    const wide = await viem.deployContract("TestERC20", ["W", "W", 19]);
    const deploy = deployWith(w, {
      assets: [
        { token: wide.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
    });
    await viem.assertions.revertWithCustomError(deploy, w.pool, "InvalidParams");
  });

  it("refuses a spread of 100 % or more and a rebalance cap above 100 %", async () => {
    const w = await fixture();
    for (const params of [
      { ...PARAMS, spreadBps: 10_000 },
      { ...PARAMS, maxRebalanceBps: 10_001 },
    ]) {
      await viem.assertions.revertWithCustomError(deployWith(w, { params }), w.pool, "InvalidParams");
    }
  });

  it("runs a four-asset pool with an 18-decimal token, pricing it by its own decimals", async () => {
    const w = await fixture();
    const dai = await viem.deployContract("TestERC20", ["Dai", "DAI", 18]);
    const pool = await viem.deployContract("LiquidityPool", [
      "Four",
      "P4",
      w.oracle.address,
      [
        { token: w.cNGN.address, feedId: USD_NGN, inverted: true, weightBps: 2_500 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 2_500 },
        { token: w.XAUt.address, feedId: XAU_USD, inverted: false, weightBps: 2_500 },
        { token: dai.address, feedId: zeroHash, inverted: false, weightBps: 2_500 },
      ],
      PARAMS,
      w.wallets.admin.account.address,
    ]);
    const lp = w.wallets.lp.account;
    await dai.write.mint([lp.address, 10n ** 30n]);
    await dai.write.approve([pool.address, 10n ** 30n], { account: lp });
    for (const t of [w.cNGN, w.USDC, w.XAUt]) await t.write.approve([pool.address, 10n ** 30n], { account: lp });
    await pool.write.deposit([w.cNGN.address, ngn("150000000"), 0n, lp.address], { account: lp });
    await pool.write.deposit([w.USDC.address, usd("100000"), 0n, lp.address], { account: lp });
    await pool.write.deposit([w.XAUt.address, (usd("100000") * WAD) / USD_PER_XAU, 0n, lp.address], { account: lp });
    await pool.write.deposit([dai.address, 100_000n * WAD, 0n, lp.address], { account: lp });
    assert.equal((await pool.read.assets()).length, 4);
    assert.equal(await pool.read.priceOf([dai.address]), WAD);

    // 100 DAI (18 decimals) buys about 100 USDC (6 decimals) less fees.
    const [out] = await pool.read.quote([dai.address, w.USDC.address, 100n * WAD]);
    assert.ok(out < usd("100") && out > usd("99.8"), `100 DAI bought ${out} USDC units`);
    await dai.write.transfer([pool.address, 100n * WAD], { account: lp });
    await pool.write.swap([dai.address, w.USDC.address, 100n * WAD, out, lp.address], { account: lp });
  });
});

describe("LiquidityPool: prices and value", () => {
  it("prices each asset from the oracle, inverting NGN per USD, in WAD per whole token", async () => {
    const w = await fixture();
    assert.equal(await w.pool.read.priceOf([w.cNGN.address]), PRICE.cNGN);
    assert.equal(await w.pool.read.priceOf([w.USDC.address]), WAD);
    assert.equal(await w.pool.read.priceOf([w.XAUt.address]), USD_PER_XAU);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.read.priceOf([w.wallets.outsider.account.address]),
      w.pool,
      "UnknownAsset",
      [getAddress(w.wallets.outsider.account.address)],
    );
  });

  it("values the seeded pool at a million dollars and sets targets from the weights", async () => {
    const w = await fixture();
    const value = await w.pool.read.totalValue();
    const expected = valueOf("cNGN", SEED.cNGN) + valueOf("USDC", SEED.USDC) + valueOf("XAUt", SEED.XAUt);
    assert.equal(value, expected);
    assert.ok(value > 999_999n * WAD && value <= 1_000_000n * WAD);
    assert.deepEqual(await w.pool.read.reserves(), [SEED.cNGN, SEED.USDC, SEED.XAUt]);
    const targets = await w.pool.read.targets();
    const weights = [4_000n, 4_000n, 2_000n];
    (["cNGN", "USDC", "XAUt"] as const).forEach((s, i) => {
      assert.equal(targets[i], ((value * weights[i]!) / 10_000n) * WAD / (PRICE[s] * SCALE));
    });
  });

  it("syncTargets lets anyone move targets to current prices", async () => {
    const w = await fixture();
    await refreshRates(w, (NGN_PER_USD * 105n) / 100n); // the naira weakens 5 %
    const hash = w.pool.write.syncTargets({ account: w.wallets.outsider.account });
    await viem.assertions.emit(hash, w.pool, "TargetsSynced");
    const [ngnTarget] = await w.pool.read.targets();
    const value = await w.pool.read.totalValue();
    const price = ceilDiv(10n ** 36n, (NGN_PER_USD * 105n) / 100n);
    assert.equal(ngnTarget, ((value * 4_000n) / 10_000n) * WAD / (price * SCALE));
    assert.ok(ngnTarget! > SEED.cNGN, "a cheaper naira needs more naira to hold 40 % of value");
  });
});

describe("LiquidityPool: swaps", () => {
  it("pays the oracle rate less the spread on a trade that shrinks an imbalance", async () => {
    const w = await fixture();
    await swap(w, "USDC", "cNGN", usd("50000")); // cNGN now below target, USDC above
    const amountIn = ngn("1500000");
    const gross = grossOut("cNGN", "USDC", amountIn);
    const { amountOut, fee } = await swap(w, "cNGN", "USDC", amountIn);
    assert.equal(fee, spreadOf(gross));
    assert.equal(amountOut, gross - spreadOf(gross));
  });

  it("charges an imbalance fee on top of the spread when a trade opens an imbalance", async () => {
    const w = await fixture();
    const amountIn = usd("10000");
    const gross = grossOut("USDC", "cNGN", amountIn);
    const { amountOut, fee } = await swap(w, "USDC", "cNGN", amountIn);
    assert.ok(fee > spreadOf(gross), `fee ${fee} is only the spread ${spreadOf(gross)}`);
    assert.equal(amountOut + fee, gross);
  });

  it("charges a larger fee for the same trade as the imbalance grows", async () => {
    const w = await fixture();
    let previous = 0n;
    for (let k = 0; k < 4; k++) {
      const { fee } = await swap(w, "USDC", "cNGN", usd("20000"));
      assert.ok(fee > previous, `trade ${k} paid ${fee}, not more than ${previous}`);
      previous = fee;
    }
  });

  it("never pays less fee for a trade split in parts", async () => {
    const amount = usd("30000");
    const whole = await swap(await fixture(), "USDC", "cNGN", amount);
    for (const parts of [2n, 3n, 7n]) {
      const w = await fixture();
      let out = 0n;
      for (let k = 0n; k < parts; k++) out += (await swap(w, "USDC", "cNGN", amount / parts)).amountOut;
      assert.ok(out <= whole.amountOut, `${parts} parts paid ${out} > ${whole.amountOut}`);
    }
  });

  it("quotes exactly what the swap then pays, for random amounts in every direction", async () => {
    const w = await fixture();
    const random = prng(42);
    const symbols: Symbol[] = ["cNGN", "USDC", "XAUt"];
    const unit = { cNGN: ngn("1"), USDC: usd("1"), XAUt: xau("1") };
    const dollars = { cNGN: 1500n, USDC: 1n, XAUt: 1n }; // whole tokens per ~$1 (gold: per $2650)
    for (let k = 0; k < 24; k++) {
      const from = symbols[Math.floor(random() * 3)]!;
      let to = symbols[Math.floor(random() * 3)]!;
      if (to === from) to = symbols[(symbols.indexOf(from) + 1) % 3]!;
      const size = BigInt(Math.floor(random() * 60_000) + 1); // up to ~$60k
      const amountIn = from === "XAUt" ? (size * unit.XAUt) / 2650n + 1n : size * dollars[from] * unit[from];
      const [quoted, quotedFee] = await w.pool.read.quote([tokenOf(w, from).address, tokenOf(w, to).address, amountIn]);
      const { amountOut, fee } = await swap(w, from, to, amountIn);
      assert.equal(amountOut, quoted, `${from}->${to} ${amountIn}`);
      assert.equal(fee, quotedFee);
    }
  });

  it("never lowers the pool's value at the oracle rate, so the LP share price rises with every trade", async () => {
    const w = await fixture();
    let price = await poolValuePerShare(w);
    for (const [from, to, amount] of [
      ["USDC", "cNGN", usd("40000")],
      ["cNGN", "XAUt", ngn("30000000")],
      ["XAUt", "USDC", xau("5")],
      ["cNGN", "USDC", ngn("60000000")],
    ] as const) {
      await swap(w, from, to, amount);
      const next = await poolValuePerShare(w);
      assert.ok(next > price, `share value fell after ${from}->${to}`);
      price = next;
    }
  });

  it("moves reserves by the amounts in and out and pays the recipient, emitting Swap", async () => {
    const w = await fixture();
    const { trader, other } = w.wallets;
    const amountIn = usd("1000");
    const [quoted, fee] = await w.pool.read.quote([w.USDC.address, w.cNGN.address, amountIn]);
    const before = await w.cNGN.read.balanceOf([other.account.address]);
    await w.USDC.write.transfer([w.pool.address, amountIn], { account: trader.account });
    await viem.assertions.emitWithArgs(
      w.pool.write.swap([w.USDC.address, w.cNGN.address, amountIn, quoted, other.account.address], {
        account: trader.account,
      }),
      w.pool,
      "Swap",
      [getAddress(trader.account.address), getAddress(w.USDC.address), getAddress(w.cNGN.address), amountIn, quoted, fee, getAddress(other.account.address)],
    );
    assert.equal((await w.cNGN.read.balanceOf([other.account.address])) - before, quoted);
    assert.deepEqual(await w.pool.read.reserves(), [SEED.cNGN - quoted, SEED.USDC + amountIn, SEED.XAUt]);
  });

  it("ignores donations: they move neither reserves nor share price, and only pay a later swap's input", async () => {
    const w = await fixture();
    const price = await poolValuePerShare(w);
    await w.USDC.write.transfer([w.pool.address, usd("5000")], { account: w.wallets.other.account });
    assert.deepEqual(await w.pool.read.reserves(), [SEED.cNGN, SEED.USDC, SEED.XAUt]);
    assert.equal(await poolValuePerShare(w), price);
    // Whoever swaps next may use the untracked balance as payment, as in Uniswap V2.
    await w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("5000"), 0n, w.wallets.outsider.account.address], {
      account: w.wallets.outsider.account,
    });
    assert.ok((await w.cNGN.read.balanceOf([w.wallets.outsider.account.address])) > 0n);
  });

  it("refuses a swap whose input was not paid first", async () => {
    const w = await fixture();
    const { trader } = w.wallets;
    await w.USDC.write.transfer([w.pool.address, usd("99")], { account: trader.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("100"), 0n, trader.account.address], { account: trader.account }),
      w.pool,
      "PaymentMissing",
      [getAddress(w.USDC.address), SEED.USDC + usd("100"), SEED.USDC + usd("99")],
    );
  });

  it("refuses unknown tokens, the same token on both sides, a zero amount and a zero recipient", async () => {
    const w = await fixture();
    const stranger = w.wallets.outsider.account.address;
    const to = w.wallets.trader.account.address;
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.swap([stranger, w.cNGN.address, 1n, 0n, to]),
      w.pool,
      "UnknownAsset",
      [getAddress(stranger)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.swap([w.cNGN.address, zeroAddress, 1n, 0n, to]),
      w.pool,
      "UnknownAsset",
      [zeroAddress],
    );
    await viem.assertions.revertWithCustomError(w.pool.write.swap([w.USDC.address, w.USDC.address, 1n, 0n, to]), w.pool, "SameAsset");
    await viem.assertions.revertWithCustomError(w.pool.write.swap([w.USDC.address, w.cNGN.address, 0n, 0n, to]), w.pool, "ZeroAmount");
    await viem.assertions.revertWithCustomError(
      w.pool.write.swap([w.USDC.address, w.cNGN.address, 1n, 0n, zeroAddress]),
      w.pool,
      "ZeroAddress",
    );
  });

  it("refuses an output below the caller's minimum", async () => {
    const w = await fixture();
    const [quoted] = await w.pool.read.quote([w.USDC.address, w.cNGN.address, usd("100")]);
    await w.USDC.write.transfer([w.pool.address, usd("100")], { account: w.wallets.trader.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("100"), quoted + 1n, w.wallets.trader.account.address], {
        account: w.wallets.trader.account,
      }),
      w.pool,
      "InsufficientOutput",
      [quoted, quoted + 1n],
    );
  });

  it("refuses to pay out more than the reserve", async () => {
    const w = await fixture();
    await viem.assertions.revertWithCustomError(
      w.pool.read.quote([w.USDC.address, w.XAUt.address, usd("900000")]),
      w.pool,
      "InsufficientLiquidity",
    );
  });

  it("refuses a trade too small to pay anything after fees", async () => {
    const w = await fixture();
    // One millionth of a naira is worth nothing in USDC units, and the excess fee on it rounds up to a unit.
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.read.quote([w.cNGN.address, w.USDC.address, 1n]),
      w.pool,
      "FeeExceedsAmount",
      [1n, 0n],
    );
  });

  it("refuses to swap against a halted or stale feed, with the oracle's own error", async () => {
    const w = await fixture();
    // A 20 % jump trips the breaker (threshold 10 %) and halts USD/NGN.
    await w.oracle.write.report([USD_NGN, (NGN_PER_USD * 120n) / 100n], { account: w.wallets.reporter.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.read.quote([w.USDC.address, w.cNGN.address, usd("100")]),
      w.oracle,
      "FeedHalted",
      [USD_NGN],
    );
    await w.USDC.write.transfer([w.pool.address, usd("100")], { account: w.wallets.trader.account });
    await viem.assertions.revertWithCustomError(
      w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("100"), 0n, w.wallets.trader.account.address], {
        account: w.wallets.trader.account,
      }),
      w.oracle,
      "FeedHalted",
    );

    const fresh = await fixture();
    await networkHelpers.time.increase(3_601);
    await viem.assertions.revertWithCustomError(
      fresh.pool.read.quote([fresh.XAUt.address, fresh.USDC.address, xau("1")]),
      fresh.oracle,
      "RateStale",
    );
  });

  it("never calls the oracle for a pair of pegged assets", async () => {
    const w = await fixture();
    const usdt = await viem.deployContract("TestERC20", ["Tether", "USDT", 6]);
    // The oracle address is an account with no code: any call to it would revert.
    const pool = await viem.deployContract("LiquidityPool", [
      "Stable",
      "SP",
      w.wallets.outsider.account.address,
      [
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
        { token: usdt.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
      PARAMS,
      w.wallets.admin.account.address,
    ]);
    const lp = w.wallets.lp.account;
    await usdt.write.mint([lp.address, usd("2000")]);
    await usdt.write.approve([pool.address, usd("2000")], { account: lp });
    await w.USDC.write.approve([pool.address, usd("2000")], { account: lp });
    await pool.write.deposit([usdt.address, usd("1000"), 0n, lp.address], { account: lp });
    await pool.write.deposit([w.USDC.address, usd("1000"), 0n, lp.address], { account: lp });
    const [out, fee] = await pool.read.quote([usdt.address, w.USDC.address, usd("100")]);
    assert.equal(out + fee, usd("100"), "pegged assets trade at exactly 1:1 before fees");
  });
});

describe("LiquidityPool: trading limits", () => {
  const HOUR = 3_600;
  // uint48 and uint24 fields come back from viem as numbers; net flows (int256) as bigints.
  const LIMIT = { limit0: 1_000, timestep0: HOUR, limit1: 2_500, timestep1: Number(DAY) } as const;

  async function limited() {
    const w = await fixture();
    await w.pool.write.setTradingLimit([w.USDC.address, LIMIT]);
    return w;
  }

  it("lets only the admin set a limit, refuses windows without a timestep or beyond int48, and reads it back", async () => {
    const w = await fixture();
    const outsider = w.wallets.outsider.account;
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.setTradingLimit([w.USDC.address, LIMIT], { account: outsider }),
      w.pool,
      "AccessControlUnauthorizedAccount",
      [getAddress(outsider.address), ROLES.ADMIN],
    );
    for (const bad of [
      { ...LIMIT, timestep0: 0 },
      { ...LIMIT, timestep1: 0 },
      { ...LIMIT, limit1: 2 ** 47 },
    ]) {
      await viem.assertions.revertWithCustomError(w.pool.write.setTradingLimit([w.USDC.address, bad]), w.pool, "InvalidParams");
    }
    await viem.assertions.revertWithCustomError(
      w.pool.write.setTradingLimit([outsider.address, LIMIT]),
      w.pool,
      "UnknownAsset",
    );
    await viem.assertions.emitWithArgs(w.pool.write.setTradingLimit([w.USDC.address, LIMIT]), w.pool, "TradingLimitChanged", [
      getAddress(w.USDC.address),
      LIMIT,
    ]);
    assert.deepEqual(await w.pool.read.tradingLimit([w.USDC.address]), LIMIT);
    // A limit of 0 disables a window, whatever its timestep.
    await w.pool.write.setTradingLimit([w.USDC.address, { limit0: 0, timestep0: 0, limit1: 0, timestep1: 0 }]);
  });

  it("counts each swap's flow in whole tokens rounded up, inflow positive and outflow negative", async () => {
    const w = await limited();
    await w.pool.write.setTradingLimit([w.cNGN.address, { ...LIMIT, limit0: 10 ** 9, limit1: 10 ** 9 }]);
    await swap(w, "USDC", "cNGN", usd("100.5"));
    assert.deepEqual(await w.pool.read.netflows([w.USDC.address]), [101n, 101n]);
    const { amountOut } = await swap(w, "cNGN", "USDC", ngn("15000"));
    const usdcOut = ceilDiv(amountOut, usd("1"));
    assert.deepEqual(await w.pool.read.netflows([w.USDC.address]), [101n - usdcOut, 101n - usdcOut]);
    const [ngnFlow] = await w.pool.read.netflows([w.cNGN.address]);
    assert.ok(ngnFlow < 0n, "naira paid out did not count as outflow");
  });

  it("refuses a swap that takes the net flow past the limit, in the quote as in the swap", async () => {
    const w = await limited();
    await swap(w, "USDC", "cNGN", usd("999"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.read.quote([w.USDC.address, w.cNGN.address, usd("1.5")]),
      w.pool,
      "TradingLimitExceeded",
      [getAddress(w.USDC.address), 1_001n, 1_000n],
    );
    await w.USDC.write.transfer([w.pool.address, usd("1.5")], { account: w.wallets.trader.account });
    await viem.assertions.revertWithCustomError(
      w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("1.5"), 0n, w.wallets.trader.account.address], {
        account: w.wallets.trader.account,
      }),
      w.pool,
      "TradingLimitExceeded",
    );
    // Flows the other way make room again.
    await swap(w, "cNGN", "USDC", ngn("150000"));
    await swap(w, "USDC", "cNGN", usd("1.5"));
  });

  it("cannot be evaded by splitting a flow into dust", async () => {
    const w = await fixture();
    await swap(w, "cNGN", "USDC", ngn("30000000")); // USDC below target, so dust pays only the spread
    await w.pool.write.setTradingLimit([w.USDC.address, { ...LIMIT, limit0: 3 }]);
    for (let k = 0; k < 3; k++) await swap(w, "USDC", "cNGN", 1n); // each unit counts as a whole token
    await viem.assertions.revertWithCustomError(
      w.pool.read.quote([w.USDC.address, w.cNGN.address, 1n]),
      w.pool,
      "TradingLimitExceeded",
    );
  });

  it("starts each window afresh at its epoch boundary while the longer window keeps counting", async () => {
    const w = await limited();
    const now = BigInt(await networkHelpers.time.latest());
    const nextHour = (now / 3_600n + 1n) * 3_600n;
    await networkHelpers.time.setNextBlockTimestamp(nextHour + 5n);
    await refreshRates(w);
    await swap(w, "USDC", "cNGN", usd("900"));
    await networkHelpers.time.setNextBlockTimestamp(nextHour + 3_600n + 5n); // the next hour, same day or not
    await refreshRates(w);
    const [hourly, daily] = await w.pool.read.netflows([w.USDC.address]);
    assert.equal(hourly, 0n);
    const sameDay = (nextHour + 3_605n) / DAY === (nextHour + 5n) / DAY;
    assert.equal(daily, sameDay ? 900n : 0n);
    await swap(w, "USDC", "cNGN", usd("900")); // allowed again by the hourly window
    if (sameDay) assert.deepEqual(await w.pool.read.netflows([w.USDC.address]), [900n, 1_800n]);
  });

  it("enforces the longer window once the shorter one resets", async () => {
    const w = await fixture();
    await w.pool.write.setTradingLimit([w.USDC.address, { limit0: 1_000, timestep0: 60, limit1: 1_500, timestep1: Number(DAY) }]);
    const now = BigInt(await networkHelpers.time.latest());
    const dayStart = (now / DAY + 1n) * DAY;
    await networkHelpers.time.setNextBlockTimestamp(dayStart + 10n);
    await refreshRates(w);
    await swap(w, "USDC", "cNGN", usd("900"));
    await networkHelpers.time.setNextBlockTimestamp(dayStart + 200n);
    await refreshRates(w);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.read.quote([w.USDC.address, w.cNGN.address, usd("700")]),
      w.pool,
      "TradingLimitExceeded",
      [getAddress(w.USDC.address), 1_600n, 1_500n],
    );
    // A day later both windows are clear.
    await networkHelpers.time.setNextBlockTimestamp(dayStart + DAY + 10n);
    await refreshRates(w);
    assert.deepEqual(await w.pool.read.netflows([w.USDC.address]), [0n, 0n]);
    await swap(w, "USDC", "cNGN", usd("1000"));
  });

  it("counts a single window when the other is disabled", async () => {
    const w = await fixture();
    await w.pool.write.setTradingLimit([w.USDC.address, { limit0: 0, timestep0: 0, limit1: 150, timestep1: Number(DAY) }]);
    await swap(w, "USDC", "cNGN", usd("100"));
    assert.deepEqual(await w.pool.read.netflows([w.USDC.address]), [0n, 100n]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.read.quote([w.USDC.address, w.cNGN.address, usd("51")]),
      w.pool,
      "TradingLimitExceeded",
      [getAddress(w.USDC.address), 151n, 150n],
    );
  });

  it("does not count deposits and withdrawals", async () => {
    const w = await fixture();
    await w.pool.write.setTradingLimit([w.USDC.address, { ...LIMIT, limit0: 1, limit1: 1 }]);
    const lp = w.wallets.lp.account;
    await w.pool.write.deposit([w.USDC.address, usd("10000"), 0n, lp.address], { account: lp });
    await w.pool.write.withdraw([WAD, [0n, 0n, 0n], lp.address], { account: lp });
    await w.pool.write.withdrawSingle([WAD, w.USDC.address, 0n, lp.address], { account: lp });
    assert.deepEqual(await w.pool.read.netflows([w.USDC.address]), [0n, 0n]);
  });
});

describe("LiquidityPool: deposits", () => {
  it("mints the first depositor shares equal to the deposit's value", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    const fresh = await viem.deployContract("LiquidityPool", [
      "F",
      "F",
      w.oracle.address,
      [
        { token: w.cNGN.address, feedId: USD_NGN, inverted: true, weightBps: 5_000 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
      PARAMS,
      w.wallets.admin.account.address,
    ]);
    await w.cNGN.write.approve([fresh.address, ngn("1500000")], { account: lp });
    await fresh.write.deposit([w.cNGN.address, ngn("1500000"), 0n, lp.address], { account: lp });
    assert.equal(await fresh.read.balanceOf([lp.address]), valueOf("cNGN", ngn("1500000")));
    assert.equal(await fresh.read.totalValue(), valueOf("cNGN", ngn("1500000")));
  });

  it("mints shares in proportion to value below target, pulls the tokens and emits Deposit", async () => {
    const w = await fixture();
    await swap(w, "cNGN", "USDC", ngn("30000000")); // USDC below target
    const { other } = w.wallets;
    const amount = usd("5000");
    const supply = await w.pool.read.totalSupply();
    const value = await w.pool.read.totalValue();
    const expected = (valueOf("USDC", amount) * supply) / value;
    assert.equal(await w.pool.read.quoteDeposit([w.USDC.address, amount]), expected);
    const before = await w.USDC.read.balanceOf([other.account.address]);
    await viem.assertions.emitWithArgs(
      w.pool.write.deposit([w.USDC.address, amount, expected, other.account.address], { account: other.account }),
      w.pool,
      "Deposit",
      [getAddress(other.account.address), getAddress(w.USDC.address), amount, expected, getAddress(other.account.address)],
    );
    assert.equal(await w.pool.read.balanceOf([other.account.address]), expected);
    assert.equal(before - (await w.USDC.read.balanceOf([other.account.address])), amount);
  });

  it("charges the imbalance fee on the part of a deposit above target", async () => {
    const w = await fixture();
    const amount = usd("100000");
    const supply = await w.pool.read.totalSupply();
    const value = await w.pool.read.totalValue();
    const proportional = (valueOf("USDC", amount) * supply) / value;
    const shares = await w.pool.read.quoteDeposit([w.USDC.address, amount]);
    assert.ok(shares < proportional, "an over-target deposit paid no fee");
    const [, target] = await w.pool.read.targets();
    const excess = SEED.USDC + amount - target!;
    const fee = ceilDiv(PARAMS.imbalanceSlope * excess * excess, 2n * target! * WAD);
    assert.equal(shares, (valueOf("USDC", amount - fee) * supply) / value);
  });

  it("refuses a zero amount, a zero recipient, an unknown token, too few shares and a fee that takes it all", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    await viem.assertions.revertWithCustomError(w.pool.write.deposit([w.USDC.address, 0n, 0n, lp.address], { account: lp }), w.pool, "ZeroAmount");
    await viem.assertions.revertWithCustomError(w.pool.write.deposit([w.USDC.address, 1n, 0n, zeroAddress], { account: lp }), w.pool, "ZeroAddress");
    await viem.assertions.revertWithCustomError(
      w.pool.write.deposit([lp.address, 1n, 0n, lp.address], { account: lp }),
      w.pool,
      "UnknownAsset",
    );
    const shares = await w.pool.read.quoteDeposit([w.USDC.address, usd("10")]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.deposit([w.USDC.address, usd("10"), shares + 1n, lp.address], { account: lp }),
      w.pool,
      "InsufficientOutput",
      [shares, shares + 1n],
    );
    // At the steepest slope, a deposit far above target costs more than it brings.
    await w.pool.write.setParams([{ ...PARAMS, imbalanceSlope: 2n ** 64n - 1n }]);
    await viem.assertions.revertWithCustomError(
      w.pool.read.quoteDeposit([w.USDC.address, usd("1000000")]),
      w.pool,
      "FeeExceedsAmount",
    );
  });

  it("refuses a deposit into a pool whose shares are outstanding but whose reserves are worth nothing", async () => {
    const w = await fixture();
    const { admin, lp, reporter } = w.wallets;
    // A feed with a breaker that never trips, so that its price can collapse to one wei.
    await w.oracle.write.addFeed(["DUST/USD", { ...FEED_CONFIG, breakerThreshold: 10n ** 19n }]);
    const dustFeed = keccak256(toHex("DUST/USD"));
    await w.oracle.write.addReporter([dustFeed, reporter.account.address]);
    await w.oracle.write.report([dustFeed, WAD], { account: reporter.account });
    const dust = await viem.deployContract("TestERC20", ["Dust", "DUST", 18]);
    const pool = await viem.deployContract("LiquidityPool", [
      "D",
      "D",
      w.oracle.address,
      [
        { token: dust.address, feedId: dustFeed, inverted: false, weightBps: 5_000 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
      PARAMS,
      admin.account.address,
    ]);
    await dust.write.mint([lp.account.address, WAD]);
    await dust.write.approve([pool.address, WAD], { account: lp.account });
    await w.USDC.write.approve([pool.address, usd("1")], { account: lp.account });
    await pool.write.deposit([dust.address, WAD, 0n, lp.account.address], { account: lp.account });
    await pool.write.withdraw([WAD - 1n, [0n, 0n], lp.account.address], { account: lp.account });
    await w.oracle.write.report([dustFeed, 1n], { account: reporter.account }); // one wei left, worth nothing
    assert.equal(await pool.read.totalValue(), 0n);
    await viem.assertions.revertWithCustomError(
      pool.write.deposit([w.USDC.address, usd("1"), 0n, lp.account.address], { account: lp.account }),
      pool,
      "EmptyPool",
    );
  });

  it("refuses a deposit worth less than one share unit", async () => {
    const w = await fixture();
    await w.pool.write.withdraw([(await w.pool.read.totalSupply()) - 1n, [0n, 0n, 0n], w.wallets.lp.account.address], {
      account: w.wallets.lp.account,
    });
    // One share now stands for the dust left behind, far more than a millionth of a naira.
    await viem.assertions.revertWithCustomError(w.pool.read.quoteDeposit([w.cNGN.address, 1n]), w.pool, "ZeroAmount");
  });
});

describe("LiquidityPool: withdrawals", () => {
  it("pays a pro-rata part of every reserve without a fee, burns the shares and emits Withdraw", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    const supply = await w.pool.read.totalSupply();
    const shares = supply / 10n;
    const expected = [SEED.cNGN, SEED.USDC, SEED.XAUt].map((r) => (r * shares) / supply);
    const targets = await w.pool.read.targets();
    await viem.assertions.emitWithArgs(
      w.pool.write.withdraw([shares, expected, w.wallets.other.account.address], { account: lp }),
      w.pool,
      "Withdraw",
      [getAddress(lp.address), shares, expected, getAddress(w.wallets.other.account.address)],
    );
    assert.equal(await w.pool.read.totalSupply(), supply - shares);
    assert.equal(await w.XAUt.read.balanceOf([w.wallets.other.account.address]) > 0n, true);
    assert.deepEqual(
      await w.pool.read.targets(),
      targets.map((t) => (t * (supply - shares)) / supply),
    );
  });

  it("stays open while paused and while the oracle is halted or stale: LPs can always leave", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    await w.pool.write.pause({ account: w.wallets.pauser.account });
    await w.oracle.write.report([USD_NGN, NGN_PER_USD * 2n], { account: w.wallets.reporter.account });
    await networkHelpers.time.increase(7_200);
    await w.pool.write.withdraw([WAD, [0n, 0n, 0n], lp.address], { account: lp });
  });

  it("refuses zero shares, a zero recipient, a wrong number of minimums, too little of an asset and more shares than held", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    await viem.assertions.revertWithCustomError(w.pool.write.withdraw([0n, [0n, 0n, 0n], lp.address], { account: lp }), w.pool, "ZeroAmount");
    await viem.assertions.revertWithCustomError(w.pool.write.withdraw([1n, [0n, 0n, 0n], zeroAddress], { account: lp }), w.pool, "ZeroAddress");
    await viem.assertions.revertWithCustomError(w.pool.write.withdraw([1n, [0n, 0n], lp.address], { account: lp }), w.pool, "InvalidParams");
    await viem.assertions.revertWithCustomError(
      w.pool.write.withdraw([WAD, [0n, usd("1000000"), 0n], lp.address], { account: lp }),
      w.pool,
      "InsufficientOutput",
    );
    await viem.assertions.revertWithCustomError(
      w.pool.write.withdraw([1n, [0n, 0n, 0n], lp.address], { account: w.wallets.outsider.account }),
      w.pool,
      "ERC20InsufficientBalance",
    );
  });

  it("withdrawSingle pays the shares' value in one asset less the spread and any shortfall fee, as quoted", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    const shares = 1_000n * WAD; // about $1,000
    const [quoted, fee] = await w.pool.read.quoteWithdrawSingle([shares, w.USDC.address]);
    const value = (shares * (await w.pool.read.totalValue())) / (await w.pool.read.totalSupply());
    const gross = (value * WAD) / (PRICE.USDC * SCALE);
    assert.equal(quoted + fee, gross);
    assert.ok(fee > spreadOf(gross), "taking USDC below target paid only the spread");
    await viem.assertions.emitWithArgs(
      w.pool.write.withdrawSingle([shares, w.USDC.address, quoted, lp.address], { account: lp }),
      w.pool,
      "WithdrawSingle",
      [getAddress(lp.address), shares, getAddress(w.USDC.address), quoted, fee, getAddress(lp.address)],
    );
    assert.equal((await w.pool.read.reserves())[1], SEED.USDC - quoted);
  });

  it("withdrawSingle stays open while paused", async () => {
    const w = await fixture();
    await w.pool.write.pause({ account: w.wallets.pauser.account });
    await w.pool.write.withdrawSingle([WAD, w.cNGN.address, 0n, w.wallets.lp.account.address], { account: w.wallets.lp.account });
  });

  it("withdrawSingle refuses zero shares, a zero recipient, an unknown token, too little out, more than the reserve and dust", async () => {
    const w = await fixture();
    const lp = w.wallets.lp.account;
    await viem.assertions.revertWithCustomError(w.pool.write.withdrawSingle([0n, w.USDC.address, 0n, lp.address], { account: lp }), w.pool, "ZeroAmount");
    await viem.assertions.revertWithCustomError(w.pool.write.withdrawSingle([1n, w.USDC.address, 0n, zeroAddress], { account: lp }), w.pool, "ZeroAddress");
    await viem.assertions.revertWithCustomError(w.pool.write.withdrawSingle([1n, lp.address, 0n, lp.address], { account: lp }), w.pool, "UnknownAsset");
    const [quoted] = await w.pool.read.quoteWithdrawSingle([WAD, w.USDC.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.withdrawSingle([WAD, w.USDC.address, quoted + 1n, lp.address], { account: lp }),
      w.pool,
      "InsufficientOutput",
      [quoted, quoted + 1n],
    );
    const all = await w.pool.read.balanceOf([lp.address]);
    await viem.assertions.revertWithCustomError(w.pool.read.quoteWithdrawSingle([all, w.XAUt.address]), w.pool, "InsufficientLiquidity");
    await viem.assertions.revertWithCustomError(w.pool.read.quoteWithdrawSingle([1n, w.USDC.address]), w.pool, "FeeExceedsAmount");
  });

  it("round trips never profit: deposit then withdraw, pro-rata or single, returns at most the value put in", async () => {
    for (const symbol of ["cNGN", "USDC", "XAUt"] as const) {
      const amount = symbol === "cNGN" ? ngn("15000000") : symbol === "USDC" ? usd("10000") : xau("3");
      for (const how of ["pro-rata", "single"] as const) {
        const w = await fixture();
        const { other } = w.wallets;
        const token = tokenOf(w, symbol);
        const before = await Promise.all([w.cNGN, w.USDC, w.XAUt].map((t) => t.read.balanceOf([other.account.address])));
        await w.pool.write.deposit([token.address, amount, 0n, other.account.address], { account: other.account });
        const shares = await w.pool.read.balanceOf([other.account.address]);
        if (how === "pro-rata") await w.pool.write.withdraw([shares, [0n, 0n, 0n], other.account.address], { account: other.account });
        else await w.pool.write.withdrawSingle([shares, token.address, 0n, other.account.address], { account: other.account });
        const after = await Promise.all([w.cNGN, w.USDC, w.XAUt].map((t) => t.read.balanceOf([other.account.address])));
        const gained = (["cNGN", "USDC", "XAUt"] as const).reduce(
          (sum, s, i) => sum + valueOf(s, after[i]!) - valueOf(s, before[i]!),
          0n,
        );
        assert.ok(gained <= 0n, `${symbol} ${how} round trip gained ${gained}`);
      }
    }
  });

  it("refuses to price a single-asset withdrawal from an empty pool", async () => {
    const w = await fixture();
    const empty = await viem.deployContract("LiquidityPool", [
      "E",
      "E",
      w.oracle.address,
      [
        { token: w.cNGN.address, feedId: USD_NGN, inverted: true, weightBps: 5_000 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
      PARAMS,
      w.wallets.admin.account.address,
    ]);
    await viem.assertions.revertWithCustomError(empty.read.quoteWithdrawSingle([1n, w.USDC.address]), empty, "EmptyPool");
  });
});

describe("LiquidityPool: rebalance", () => {
  /** After a large USDC -> cNGN trade, USDC is above target and cNGN below. */
  async function imbalanced() {
    const w = await fixture();
    await swap(w, "USDC", "cNGN", usd("60000"));
    return w;
  }

  it("lets the keeper bring in an asset below target for one above it, at no more than oracle value", async () => {
    const w = await imbalanced();
    const { keeper } = w.wallets;
    const amountIn = ngn("45000000"); // $30,000 of naira
    const amountOut = usd("29990");
    const valueBefore = await w.pool.read.totalValue();
    const [r0, r1] = await w.pool.read.reserves();
    await viem.assertions.emitWithArgs(
      w.pool.write.rebalance([w.cNGN.address, amountIn, w.USDC.address, amountOut], { account: keeper.account }),
      w.pool,
      "Rebalance",
      [getAddress(keeper.account.address), getAddress(w.cNGN.address), amountIn, getAddress(w.USDC.address), amountOut],
    );
    const [n0, n1] = await w.pool.read.reserves();
    assert.equal(n0, r0! + amountIn);
    assert.equal(n1, r1! - amountOut);
    assert.ok((await w.pool.read.totalValue()) >= valueBefore);
  });

  it("refuses callers without the keeper role", async () => {
    const w = await imbalanced();
    const outsider = w.wallets.outsider.account;
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.rebalance([w.cNGN.address, ngn("1500"), w.USDC.address, usd("1")], { account: outsider }),
      w.pool,
      "AccessControlUnauthorizedAccount",
      [getAddress(outsider.address), ROLES.KEEPER],
    );
  });

  it("refuses to overshoot the target of the asset brought in or of the asset taken out", async () => {
    const w = await imbalanced();
    const keeper = w.wallets.keeper.account;
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.rebalance([w.cNGN.address, ngn("120000000"), w.USDC.address, usd("1")], { account: keeper }),
      w.pool,
      "RebalanceWorsensImbalance",
      [getAddress(w.cNGN.address)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.rebalance([w.cNGN.address, ngn("1500"), w.USDC.address, usd("70000")], { account: keeper }),
      w.pool,
      "RebalanceWorsensImbalance",
      [getAddress(w.USDC.address)],
    );
    // XAUt sits at its target but for the fees the pool has earned, far less than an ounce.
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.rebalance([w.XAUt.address, xau("1"), w.USDC.address, usd("1")], { account: keeper }),
      w.pool,
      "RebalanceWorsensImbalance",
      [getAddress(w.XAUt.address)],
    );
  });

  it("refuses to give out more value than it takes in", async () => {
    const w = await imbalanced();
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([w.cNGN.address, ngn("1500"), w.USDC.address, usd("1.01")], { account: w.wallets.keeper.account }),
      w.pool,
      "RebalanceLosesValue",
    );
  });

  it("refuses a rebalance larger than maxRebalanceBps of pool value", async () => {
    const w = await imbalanced();
    await w.pool.write.setParams([{ ...PARAMS, maxRebalanceBps: 100 }]); // 1 % = about $10,000
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([w.cNGN.address, ngn("30000000"), w.USDC.address, usd("19000")], { account: w.wallets.keeper.account }),
      w.pool,
      "RebalanceTooLarge",
    );
  });

  it("refuses zero amounts, the same asset, unknown tokens, a paused pool, an empty pool and a halted feed", async () => {
    const w = await imbalanced();
    const keeper = w.wallets.keeper.account;
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([w.cNGN.address, 0n, w.USDC.address, 1n], { account: keeper }),
      w.pool,
      "ZeroAmount",
    );
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([w.cNGN.address, 1n, w.cNGN.address, 1n], { account: keeper }),
      w.pool,
      "SameAsset",
    );
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([keeper.address, 1n, w.cNGN.address, 1n], { account: keeper }),
      w.pool,
      "UnknownAsset",
    );
    await w.oracle.write.report([USD_NGN, NGN_PER_USD * 2n], { account: w.wallets.reporter.account });
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([w.cNGN.address, ngn("1500"), w.USDC.address, usd("1")], { account: keeper }),
      w.oracle,
      "FeedHalted",
    );
    await w.pool.write.pause({ account: w.wallets.pauser.account });
    await viem.assertions.revertWithCustomError(
      w.pool.write.rebalance([w.cNGN.address, ngn("1500"), w.USDC.address, usd("1")], { account: keeper }),
      w.pool,
      "EnforcedPause",
    );

    const empty = await viem.deployContract("LiquidityPool", [
      "E",
      "E",
      w.oracle.address,
      [
        { token: w.XAUt.address, feedId: XAU_USD, inverted: false, weightBps: 5_000 },
        { token: w.USDC.address, feedId: zeroHash, inverted: false, weightBps: 5_000 },
      ],
      PARAMS,
      w.wallets.admin.account.address,
    ]);
    await empty.write.grantRole([ROLES.KEEPER, keeper.address]);
    await viem.assertions.revertWithCustomError(
      empty.write.rebalance([w.XAUt.address, 1n, w.USDC.address, 1n], { account: keeper }),
      empty,
      "EmptyPool",
    );
  });
});

describe("LiquidityPool: administration and pausing", () => {
  it("lets only the admin set params, refuses invalid ones and emits PoolParamsChanged", async () => {
    const w = await fixture();
    const next = { spreadBps: 25, imbalanceSlope: WAD, maxRebalanceBps: 500 };
    await viem.assertions.revertWithCustomErrorWithArgs(
      w.pool.write.setParams([next], { account: w.wallets.outsider.account }),
      w.pool,
      "AccessControlUnauthorizedAccount",
      [getAddress(w.wallets.outsider.account.address), ROLES.ADMIN],
    );
    await viem.assertions.revertWithCustomError(w.pool.write.setParams([{ ...next, spreadBps: 10_000 }]), w.pool, "InvalidParams");
    await viem.assertions.revertWithCustomError(w.pool.write.setParams([{ ...next, maxRebalanceBps: 10_001 }]), w.pool, "InvalidParams");
    await viem.assertions.emitWithArgs(w.pool.write.setParams([next]), w.pool, "PoolParamsChanged", [next]);
    assert.deepEqual(await w.pool.read.params(), next);
  });

  it("lets the admin grant roles and nobody else", async () => {
    const w = await fixture();
    const outsider = w.wallets.outsider.account;
    await viem.assertions.revertWithCustomError(
      w.pool.write.grantRole([ROLES.KEEPER, outsider.address], { account: outsider }),
      w.pool,
      "AccessControlUnauthorizedAccount",
    );
    await w.pool.write.grantRole([ROLES.KEEPER, outsider.address]);
    assert.equal(await w.pool.read.hasRole([ROLES.KEEPER, outsider.address]), true);
  });

  it("lets only the pauser pause and unpause", async () => {
    const w = await fixture();
    const outsider = w.wallets.outsider.account;
    for (const fn of ["pause", "unpause"] as const) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        w.pool.write[fn]({ account: outsider }),
        w.pool,
        "AccessControlUnauthorizedAccount",
        [getAddress(outsider.address), ROLES.PAUSER],
      );
    }
    await w.pool.write.pause({ account: w.wallets.pauser.account });
    assert.equal(await w.pool.read.paused(), true);
    await w.pool.write.unpause({ account: w.wallets.pauser.account });
    assert.equal(await w.pool.read.paused(), false);
  });

  it("while paused refuses swaps, quotes and deposits, and takes them back after unpausing", async () => {
    const w = await fixture();
    const { trader, pauser } = w.wallets;
    await w.pool.write.pause({ account: pauser.account });
    await w.USDC.write.transfer([w.pool.address, usd("100")], { account: trader.account });
    for (const call of [
      () => w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("100"), 0n, trader.account.address], { account: trader.account }),
      () => w.pool.read.quote([w.USDC.address, w.cNGN.address, usd("100")]),
      () => w.pool.write.deposit([w.USDC.address, usd("100"), 0n, trader.account.address], { account: trader.account }),
      () => w.pool.read.quoteDeposit([w.USDC.address, usd("100")]),
    ]) {
      await viem.assertions.revertWithCustomError(call(), w.pool, "EnforcedPause");
    }
    await w.pool.write.unpause({ account: pauser.account });
    await w.pool.write.swap([w.USDC.address, w.cNGN.address, usd("100"), 0n, trader.account.address], { account: trader.account });
  });
});
