/**
 * Deploys the whole protocol with the default configuration of sdk/protocol.ts: the attestation
 * ledger, one AttestedToken per asset, and the shared wiring of ignition/wiring.ts (the FX oracle with
 * its feeds, one pool holding all assets, the router and the custodial vault, and the operational roles).
 * For HTS tokens on Hedera, use JuaPesaLedger.ts and JuaPesaHedera.ts instead.
 *
 * Parameters (ignition/parameters/*.json or --parameters):
 *   attesters (address[]), threshold, maxReserveAge, reporter, operator, keeper, compliance, guardian,
 *   seedRates (bool: report the seed rates from `reporter`, for local chains only).
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { ASSETS, DAY, feedId } from "../../sdk/protocol.js";
import { bySymbol, feedKey, wireProtocol } from "../wiring.js";

export default buildModule("JuaPesa", (m) => {
  const admin = m.getAccount(0);
  const attesters = m.getParameter<string[]>("attesters");
  const threshold = m.getParameter("threshold", 2n);
  const maxReserveAge = m.getParameter("maxReserveAge", DAY);
  const seedRates = m.getParameter("seedRates", false);

  const ledger = m.contract("AttestationLedger", [admin, attesters, threshold, maxReserveAge]);
  const tokens = bySymbol((a) => m.contract("AttestedToken", [a.name, a.symbol, a.decimals, ledger, admin], { id: a.symbol }));

  const { oracle, pool, router, vault, reporterAdded } = wireProtocol(m, { admin, tokens });
  for (const asset of ASSETS) {
    if (!asset.feed) continue;
    const key = feedKey(asset.feed);
    // Ignition has no conditional futures; a local deployment reports seed rates from the admin.
    if (seedRates) {
      m.call(oracle, "report", [feedId(asset.feed.name), asset.feed.seedRate], { id: `seed_${key}`, after: [reporterAdded[key]!] });
    }
  }

  return { ledger, oracle, pool, router, vault, cNGN: tokens.cNGN, USDC: tokens.USDC, XAUt: tokens.XAUt };
});
