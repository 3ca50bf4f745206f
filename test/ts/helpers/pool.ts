/**
 * A pool world for the pool and router tests: the real FxOracle with a reporter and seeded rates
 * (USD/NGN 1500 naira per dollar, inverted; XAU/USD 2650 dollars per ounce), 6-decimal test tokens,
 * one three-asset pool seeded with $1,000,000 of liquidity at its weights, and a router.
 */
import { keccak256, maxUint256, parseUnits, toHex, zeroHash, type Address, type Hex } from "viem";
import type { NetworkConnection } from "hardhat/types/network";

export const WAD = 10n ** 18n;
export const DAY = 86_400n;
export const ROLES = {
  ADMIN: zeroHash,
  PAUSER: keccak256(toHex("juapesa.role.pauser")),
  GUARDIAN: keccak256(toHex("juapesa.role.guardian")),
  KEEPER: keccak256(toHex("juapesa.role.keeper")),
} as const;

export const USD_NGN = keccak256(toHex("USD/NGN"));
export const XAU_USD = keccak256(toHex("XAU/USD"));
export const NGN_PER_USD = 1500n * WAD;
export const USD_PER_XAU = 2650n * WAD;
export const FEED_CONFIG = {
  minReports: 1,
  reportExpiry: 3_600,
  breakerThreshold: WAD / 10n,
  emaAlpha: WAD / 5n,
  cooldown: 900,
} as const;
export const PARAMS = { spreadBps: 10, imbalanceSlope: WAD / 5n, maxRebalanceBps: 1_000 } as const;

export const usd = (x: string) => parseUnits(x, 6);
export const ngn = (x: string) => parseUnits(x, 6);
export const xau = (x: string) => parseUnits(x, 6);

/** Seed liquidity at the weights 40/40/20: $400k of naira, $400k of USDC, $200k of gold. */
export const SEED = {
  cNGN: ngn("600000000"),
  USDC: usd("400000"),
  XAUt: (usd("200000") * WAD) / USD_PER_XAU,
} as const;

export async function deployWorld(conn: NetworkConnection) {
  const { viem } = conn;
  const [admin, reporter, lp, trader, keeper, pauser, outsider, other] = await viem.getWalletClients();
  if (!admin || !reporter || !lp || !trader || !keeper || !pauser || !outsider || !other) {
    throw new Error("the test network needs eight accounts");
  }

  const oracle = await viem.deployContract("FxOracle", [admin.account.address]);
  await oracle.write.grantRole([ROLES.GUARDIAN, admin.account.address]);
  for (const name of ["USD/NGN", "XAU/USD"]) {
    await oracle.write.addFeed([name, FEED_CONFIG]);
    await oracle.write.addReporter([keccak256(toHex(name)), reporter.account.address]);
  }
  await oracle.write.report([USD_NGN, NGN_PER_USD], { account: reporter.account });
  await oracle.write.report([XAU_USD, USD_PER_XAU], { account: reporter.account });

  const cNGN = await viem.deployContract("TestERC20", ["Compliant Naira", "cNGN", 6]);
  const USDC = await viem.deployContract("TestERC20", ["USD Coin", "USDC", 6]);
  const XAUt = await viem.deployContract("TestERC20", ["Tether Gold", "XAUt", 6]);
  const tokens = { cNGN, USDC, XAUt };

  const pool = await viem.deployContract("LiquidityPool", [
    "JuaPesa Pool cNGN-USDC-XAUt",
    "JP-LP",
    oracle.address,
    [
      { token: cNGN.address, feedId: USD_NGN, inverted: true, weightBps: 4_000 },
      { token: USDC.address, feedId: zeroHash, inverted: false, weightBps: 4_000 },
      { token: XAUt.address, feedId: XAU_USD, inverted: false, weightBps: 2_000 },
    ],
    PARAMS,
    admin.account.address,
  ]);
  await pool.write.grantRole([ROLES.KEEPER, keeper.account.address]);
  await pool.write.grantRole([ROLES.PAUSER, pauser.account.address]);

  const router = await viem.deployContract("Router", [admin.account.address]);
  await router.write.addPool([pool.address]);

  // Everyone who trades or provides liquidity holds plenty and has approved the pool and router.
  for (const who of [lp, trader, keeper, other]) {
    for (const token of Object.values(tokens)) {
      await token.write.mint([who.account.address, parseUnits("100000000000", 6)]);
      await token.write.approve([pool.address, maxUint256], { account: who.account });
      await token.write.approve([router.address, maxUint256], { account: who.account });
    }
  }
  for (const [symbol, token] of Object.entries(tokens)) {
    await pool.write.deposit([token.address, SEED[symbol as keyof typeof SEED], 0n, lp.account.address], {
      account: lp.account,
    });
  }

  return {
    oracle,
    pool,
    router,
    tokens,
    cNGN,
    USDC,
    XAUt,
    wallets: { admin, reporter, lp, trader, keeper, pauser, outsider, other },
  };
}

export type World = Awaited<ReturnType<typeof deployWorld>>;

/** Re-reports both feeds at their seed rates (e.g. after time travel past the report expiry). */
export async function refreshRates(world: World, ngnPerUsd = NGN_PER_USD, usdPerXau = USD_PER_XAU) {
  const { oracle, wallets } = world;
  await oracle.write.report([USD_NGN, ngnPerUsd], { account: wallets.reporter.account });
  await oracle.write.report([XAU_USD, usdPerXau], { account: wallets.reporter.account });
}

/** Pay-first swap without the router: transfer, then swap, in two transactions. */
export async function paySwap(
  world: World,
  tokenIn: { address: Address; write: { transfer: (args: [Address, bigint], o: any) => Promise<Hex> } },
  tokenOut: Address,
  amountIn: bigint,
  account = world.wallets.trader.account,
) {
  await tokenIn.write.transfer([world.pool.address, amountIn], { account });
  return world.pool.write.swap([tokenIn.address, tokenOut, amountIn, 0n, account.address], { account });
}
