/**
 * The simulated network for the rebalancing backtest, in one place: which NN5 series are which
 * pool's agents, the currency each pool pays out, the data's scale, transfer sizes, chains, routes,
 * prices and idle-float rates. Every number here is an assumption of the backtest, stated once and
 * repeated in agents/liquidity/docs/rebalance.md.
 */
import { gasUsd, hederaGasPriceWeibar, REBALANCE_GAS } from "../../agents/liquidity/rebalance/cost.js";
import type { CostInput, RouteInput, TreasuryInput } from "../../agents/liquidity/rebalance/types.js";
import type { CostRates, PoolSpec } from "./backtest.js";
import type { Supply } from "./backtest-policies.js";

/** Six operator pools; NN5 series i (0-based) belongs to pool i mod 6 (19, 19, 19, 18, 18, 18 agents). */
export const POOL_COUNT = 6;

/** Seed rate of the local stack (sdk/protocol.ts USD_NGN); not market data. */
export const NGN_PER_USD = 1_450;
/** Assumed KES rate for the Kenyan pools; not market data. */
export const KES_PER_USD = 129;
/** Assumed HBAR price for turning Hedera gas into dollars. */
export const HBAR_USD = 0.2;

/**
 * Annual rates that idle float would earn elsewhere (assumptions, configurable): naira float against
 * a naira money-market/treasury-bill yield, USDC against a dollar one.
 */
export const IDLE_RATE = { cNGN: 0.18, USDC: 0.04 } as const;

const NIGERIA = { currency: "NGN", currencyPerNn5: 50_000, transferMedian: 15_000, transferSigma: 0.9, transferCap: 500_000 };
const KENYA = { currency: "KES", currencyPerNn5: 5_000, transferMedian: 1_500, transferSigma: 0.9, transferCap: 150_000 };

const POOLS: { id: string; label: string; kind: "NG" | "KE" }[] = [
  { id: "mtn-ng", label: "MTN-NG", kind: "NG" },
  { id: "airtel-ng", label: "Airtel-NG", kind: "NG" },
  { id: "glo-ng", label: "Glo-NG", kind: "NG" },
  { id: "9mobile-ng", label: "9mobile-NG", kind: "NG" },
  { id: "mpesa-ke", label: "M-Pesa-KE", kind: "KE" },
  { id: "airtel-ke", label: "Airtel-KE", kind: "KE" },
];

/**
 * Nigerian pools float cNGN on Hedera (treasury on Hedera, same chain). Kenyan pools float USDC on
 * Base, paid out as KES; their treasury is USDC on Ethereum, so every refill crosses chains by CCTP.
 */
export function network(seriesCount: number): PoolSpec[] {
  return POOLS.map((pool, p) => {
    const agents: number[] = [];
    for (let i = p; i < seriesCount; i += POOL_COUNT) agents.push(i);
    const ng = pool.kind === "NG";
    return {
      id: pool.id,
      label: pool.label,
      chain: ng ? "hedera" : "base",
      asset: ng ? "cNGN" : "USDC",
      priceUsd: ng ? 1 / NGN_PER_USD : 1,
      ...(ng ? NIGERIA : KENYA),
      assetPerCurrency: ng ? 1 : 1 / KES_PER_USD,
      agents,
      idleRate: ng ? IDLE_RATE.cNGN : IDLE_RATE.USDC,
    };
  });
}

/**
 * Lead times, in days, from the order to the cash being usable at the agents: one day for the
 * off-chain leg everywhere (the keeper's on-chain move takes minutes; getting the float to the
 * agents' tills does not). Cross-chain Standard adds a day (assumed: the treasury batches its
 * free Standard transfers once a day); Fast arrives with the same-chain day for 1 bp (Circle's fee
 * from Ethereum, CCTP V2).
 */
export const SUPPLY = {
  sameChain: { leadDays: 1, feeBps: 0, crossChain: false },
  cctpStandard: { leadDays: 2, feeBps: 0, crossChain: true },
  cctpFast: { leadDays: 1, feeBps: 1, crossChain: true },
} as const satisfies Record<string, Supply>;

export const ROUTES: RouteInput[] = [
  { from: "hedera", to: "hedera", kind: "same-chain", feeBps: 0, leadTimeSteps: SUPPLY.sameChain.leadDays },
  { from: "base", to: "base", kind: "same-chain", feeBps: 0, leadTimeSteps: SUPPLY.sameChain.leadDays },
  { from: "ethereum", to: "base", kind: "cctp-standard", feeBps: SUPPLY.cctpStandard.feeBps, leadTimeSteps: SUPPLY.cctpStandard.leadDays },
  { from: "ethereum", to: "base", kind: "cctp-fast", feeBps: SUPPLY.cctpFast.feeBps, leadTimeSteps: SUPPLY.cctpFast.leadDays },
];

/** The treasury is not the constraint in this backtest: large enough never to run out. */
export const TREASURIES: TreasuryInput[] = [
  { id: "hedera-ngn", chain: "hedera", asset: "cNGN", available: 1e15 },
  { id: "ethereum-usdc", chain: "ethereum", asset: "USDC", available: 1e12 },
];

export function planCosts(): CostInput {
  return {
    pricesUsd: { cNGN: 1 / NGN_PER_USD, USDC: 1 },
    gasPriceWeibar: Number(hederaGasPriceWeibar(HBAR_USD)),
    hbarUsd: HBAR_USD,
    rebalanceGas: REBALANCE_GAS,
    idleFloatAnnualRate: { ...IDLE_RATE },
    crossChainGasUsd: 0.1,
  };
}

export function simCosts(): CostRates {
  const c = planCosts();
  return { gasPerOrderUsd: gasUsd(REBALANCE_GAS, c), crossChainGasUsd: c.crossChainGasUsd ?? 0.1 };
}
