/**
 * The protocol's default configuration, in one place: assets, oracle feeds and seed rates, pool
 * weights and fees, KYC tier limits. The Ignition module, the local stack, the tests and the
 * benchmarks all read it from here.
 */
import { keccak256, parseUnits, toHex, type Hex } from "viem";

export const WAD = 10n ** 18n;
export const DAY = 86_400n;

export interface AssetSpec {
  symbol: "cNGN" | "USDC" | "XAUt";
  name: string;
  /** As the real token on Ethereum: cNGN 6, USDC 6, XAUt 6. */
  decimals: number;
  /** Oracle feed pricing the asset in US dollars; undefined = the numeraire itself. */
  feed?: FeedSpec;
  /** Target share of pool value, basis points. */
  weightBps: number;
}

export interface FeedSpec {
  name: string;
  /** true when the feed quotes units of the asset per dollar (NGN per USD), so the pool inverts it. */
  inverted: boolean;
  /** Seed rate for local stacks, WAD. */
  seedRate: bigint;
}

export const feedId = (name: string): Hex => keccak256(toHex(name));

// Seed rates are round figures for a local chain, not market data: a live deployment's reporters
// publish real rates before the pool opens.
export const USD_NGN: FeedSpec = { name: "USD/NGN", inverted: true, seedRate: 1_450n * WAD };
export const XAU_USD: FeedSpec = { name: "XAU/USD", inverted: false, seedRate: 4_000n * WAD };

export const ASSETS: readonly AssetSpec[] = [
  { symbol: "cNGN", name: "Compliant Naira", decimals: 6, feed: USD_NGN, weightBps: 4_000 },
  { symbol: "USDC", name: "USD Coin (JuaPesa local)", decimals: 6, weightBps: 4_000 },
  { symbol: "XAUt", name: "Tether Gold (JuaPesa)", decimals: 6, feed: XAU_USD, weightBps: 2_000 },
];

export const FEED_CONFIG = {
  minReports: 1,
  reportExpiry: 3_600,
  breakerThreshold: WAD / 10n, // a 10 % jump against the moving average halts the pair
  emaAlpha: WAD / 5n,
  cooldown: 900,
} as const;

export const POOL_PARAMS = {
  spreadBps: 10, // 0.10 %
  imbalanceSlope: WAD / 5n, // marginal fee 2 % at a 10 % shortfall against target
  maxRebalanceBps: 1_000, // a keeper moves at most 10 % of pool value per call
} as const;

/**
 * KYC tier limits in naira, after the Central Bank of Nigeria's three-tiered KYC framework
 * (tier 1: ₦50,000 per day, ₦300,000 balance; tier 2: ₦100,000 per day, ₦500,000 balance;
 * tier 3: ₦5,000,000 per day, balance uncapped here at ₦50,000,000). Other assets get the same
 * limits converted at the seed rates.
 */
export const TIER_LIMITS_NGN = [
  { tier: 1, maxSingle: 50_000, maxDailyOutflow: 50_000, maxBalance: 300_000 },
  { tier: 2, maxSingle: 100_000, maxDailyOutflow: 100_000, maxBalance: 500_000 },
  { tier: 3, maxSingle: 5_000_000, maxDailyOutflow: 5_000_000, maxBalance: 50_000_000 },
] as const;

/** Converts a naira amount to an asset's base units at the seed rates. */
export function nairaIn(asset: AssetSpec, naira: number): bigint {
  const ngnBase = parseUnits(String(naira), 6); // cNGN has 6 decimals
  if (asset.symbol === "cNGN") return ngnBase;
  const usdBase = (ngnBase * WAD) / USD_NGN.seedRate; // USD with 6 decimals
  if (asset.symbol === "USDC") return usdBase;
  return (usdBase * WAD) / XAU_USD.seedRate; // troy ounces with 6 decimals
}

export function tierLimits(asset: AssetSpec) {
  return TIER_LIMITS_NGN.map((l) => ({
    tier: l.tier,
    limits: {
      maxSingle: nairaIn(asset, l.maxSingle),
      maxDailyOutflow: nairaIn(asset, l.maxDailyOutflow),
      maxBalance: nairaIn(asset, l.maxBalance),
    },
  }));
}

export const ROLES = {
  ATTESTER_MANAGER: keccak256(toHex("juapesa.role.attester-manager")),
  PAUSER: keccak256(toHex("juapesa.role.pauser")),
  GUARDIAN: keccak256(toHex("juapesa.role.guardian")),
  KEEPER: keccak256(toHex("juapesa.role.keeper")),
  OPERATOR: keccak256(toHex("juapesa.role.operator")),
  COMPLIANCE: keccak256(toHex("juapesa.role.compliance")),
} as const;
