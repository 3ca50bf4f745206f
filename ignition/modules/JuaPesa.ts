/**
 * Deploys the whole protocol with the default configuration of sdk/protocol.ts: the attestation
 * ledger, one AttestedToken per asset, the FX oracle with its feeds, one pool holding all assets,
 * the router and the custodial vault, and grants the operational roles.
 *
 * Parameters (ignition/parameters/*.json or --parameters):
 *   attesters (address[]), threshold, maxReserveAge, reporter, operator, keeper, compliance, guardian,
 *   seedRates (bool: report the seed rates from `reporter`, for local chains only).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { ASSETS, FEED_CONFIG, POOL_PARAMS, ROLES, DAY, feedId, tierLimits } from "../../sdk/protocol.js";

export default buildModule("JuaPesa", (m) => {
  const admin = m.getAccount(0);
  const attesters = m.getParameter<string[]>("attesters");
  const threshold = m.getParameter("threshold", 2n);
  const maxReserveAge = m.getParameter("maxReserveAge", DAY);
  const reporter = m.getParameter("reporter", admin);
  const operator = m.getParameter("operator", admin);
  const keeper = m.getParameter("keeper", admin);
  const compliance = m.getParameter("compliance", admin);
  const guardian = m.getParameter("guardian", admin);
  const seedRates = m.getParameter("seedRates", false);

  const ledger = m.contract("AttestationLedger", [admin, attesters, threshold, maxReserveAge]);

  const tokens = Object.fromEntries(
    ASSETS.map((a) => [a.symbol, m.contract("AttestedToken", [a.name, a.symbol, a.decimals, ledger, admin], { id: a.symbol })]),
  );

  const oracle = m.contract("FxOracle", [admin]);
  m.call(oracle, "grantRole", [ROLES.GUARDIAN, guardian], { id: "grantGuardian" });
  for (const asset of ASSETS) {
    if (!asset.feed) continue;
    const key = asset.feed.name.replace("/", "_");
    const added = m.call(oracle, "addFeed", [asset.feed.name, FEED_CONFIG], { id: `addFeed_${key}` });
    const reporterAdded = m.call(oracle, "addReporter", [feedId(asset.feed.name), reporter], {
      id: `addReporter_${key}`,
      after: [added],
    });
    // Ignition has no conditional futures; a local deployment reports seed rates from the admin.
    if (seedRates) {
      m.call(oracle, "report", [feedId(asset.feed.name), asset.feed.seedRate], { id: `seed_${key}`, after: [reporterAdded] });
    }
  }

  const pool = m.contract("LiquidityPool", [
    "JuaPesa Pool cNGN-USDC-XAUt",
    "JP-LP",
    oracle,
    ASSETS.map((a) => ({
      token: tokens[a.symbol]!,
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
  for (const asset of ASSETS) {
    const added = m.call(vault, "addAsset", [tokens[asset.symbol]!], { id: `addAsset_${asset.symbol}` });
    for (const { tier, limits } of tierLimits(asset)) {
      m.call(vault, "setTierLimits", [tier, tokens[asset.symbol]!, limits], {
        id: `limits_${asset.symbol}_tier${tier}`,
        after: [added],
      });
    }
  }
  m.call(vault, "grantRole", [ROLES.OPERATOR, operator], { id: "grantOperator" });
  m.call(vault, "grantRole", [ROLES.COMPLIANCE, compliance], { id: "grantCompliance" });

  return { ledger, oracle, pool, router, vault, cNGN: tokens.cNGN!, USDC: tokens.USDC!, XAUt: tokens.XAUt! };
});
