/**
 * The protocol's wiring that every JuaPesa deployment shares, whatever its tokens are: the FX oracle
 * with its feeds and reporter, one pool holding all assets, the router, the custodial vault with its
 * assets and tier limits, and the operational roles. `ignition/modules/JuaPesa.ts` (AttestedToken
 * ERC-20s) and `ignition/modules/JuaPesaHedera.ts` (HTS tokens) both build on it, inside a module whose
 * id is "JuaPesa", so the futures keep the ids sdk/deployments.ts reads (JuaPesa#LiquidityPool, …).
 *
 * Role parameters (each defaults to the deploying account): reporter, operator, keeper, compliance, guardian.
 */
import type { AccountRuntimeValue, CallableContractFuture, ContractFuture, Future, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

import { ASSETS, FEED_CONFIG, POOL_PARAMS, ROLES, feedId, tierLimits, type AssetSpec, type FeedSpec } from "../sdk/protocol.js";

export type AssetSymbol = AssetSpec["symbol"];
export type TokenFutures = Record<AssetSymbol, ContractFuture<string>>;
type Vault = CallableContractFuture<"CustodialVault">;

export interface WiringOptions {
  admin: AccountRuntimeValue;
  /** Each asset's token, as the pool and the vault hold it. */
  tokens: TokenFutures;
  /**
   * Futures the vault must complete before it takes `asset` on. `addAsset` approves the router, and an
   * HTS token refuses an approval from an account that is not associated with it.
   */
  beforeAddAsset?: (vault: Vault, asset: AssetSpec) => Future[];
}

/** The feed's name as a future id fragment ("USD/NGN" → "USD_NGN"). */
export const feedKey = (feed: FeedSpec) => feed.name.replace("/", "_");

/** One entry per asset, keyed by symbol, in ASSETS order. */
export function bySymbol<T>(make: (asset: AssetSpec) => T): Record<AssetSymbol, T> {
  return Object.fromEntries(ASSETS.map((asset) => [asset.symbol, make(asset)])) as Record<AssetSymbol, T>;
}

export function wireProtocol(m: IgnitionModuleBuilder, { admin, tokens, beforeAddAsset }: WiringOptions) {
  const reporter = m.getParameter("reporter", admin);
  const operator = m.getParameter("operator", admin);
  const keeper = m.getParameter("keeper", admin);
  const compliance = m.getParameter("compliance", admin);
  const guardian = m.getParameter("guardian", admin);

  const oracle = m.contract("FxOracle", [admin]);
  m.call(oracle, "grantRole", [ROLES.GUARDIAN, guardian], { id: "grantGuardian" });
  /** Per feed key, the future after which `reporter` may report on that feed. */
  const reporterAdded: Record<string, Future> = {};
  for (const asset of ASSETS) {
    if (!asset.feed) continue;
    const key = feedKey(asset.feed);
    const added = m.call(oracle, "addFeed", [asset.feed.name, FEED_CONFIG], { id: `addFeed_${key}` });
    reporterAdded[key] = m.call(oracle, "addReporter", [feedId(asset.feed.name), reporter], {
      id: `addReporter_${key}`,
      after: [added],
    });
  }

  const pool = m.contract("LiquidityPool", [
    "JuaPesa Pool cNGN-USDC-XAUt",
    "JP-LP",
    oracle,
    ASSETS.map((a) => ({
      token: tokens[a.symbol],
      feedId: a.feed ? feedId(a.feed.name) : `0x${"00".repeat(32)}`,
      inverted: a.feed?.inverted ?? false,
      weightBps: a.weightBps,
    })),
    POOL_PARAMS,
    admin,
  ]);
  m.call(pool, "grantRole", [ROLES.KEEPER, keeper], { id: "grantKeeper" });

  const router = m.contract("Router", [admin]);
  m.call(router, "addPool", [pool]);

  const vault = m.contract("CustodialVault", [admin, router]);
  const assetAdded = bySymbol((asset) => {
    const token = tokens[asset.symbol];
    const added = m.call(vault, "addAsset", [token], { id: `addAsset_${asset.symbol}`, after: beforeAddAsset?.(vault, asset) ?? [] });
    for (const { tier, limits } of tierLimits(asset)) {
      m.call(vault, "setTierLimits", [tier, token, limits], { id: `limits_${asset.symbol}_tier${tier}`, after: [added] });
    }
    return added;
  });
  m.call(vault, "grantRole", [ROLES.OPERATOR, operator], { id: "grantOperator" });
  m.call(vault, "grantRole", [ROLES.COMPLIANCE, compliance], { id: "grantCompliance" });

  return { oracle, pool, router, vault, reporterAdded, assetAdded };
}
