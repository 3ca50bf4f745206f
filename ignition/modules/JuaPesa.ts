/**
 * Deploys the whole protocol with the default configuration of sdk/protocol.ts: the attestation
 * ledger, one AttestedToken per asset, and the shared wiring of ignition/wiring.ts (the FX oracle with
 * its feeds, one pool holding all assets, the router and the custodial vault, and the operational roles).
 * For HTS tokens on Hedera, use JuaPesaLedger.ts and JuaPesaHedera.ts instead.
 *
 * Parameters (ignition/parameters/*.json or --parameters):
 *   attesters (address[]), threshold, maxReserveAge, reporter, operator, keeper, compliance, guardian.
 *
 * The module reports no rates: a rate comes from a reporter's own feed. The local stack reports the seed
 * rates after deploying (scripts/lib/stack.ts); Ignition has no conditional futures, and a parameter read
 * inside the module is a placeholder, not a value, so a `seedRates` flag here could not switch it off.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { DAY } from "../../sdk/protocol.js";
import { bySymbol, wireProtocol } from "../wiring.js";

export default buildModule("JuaPesa", (m) => {
  const admin = m.getAccount(0);
  const attesters = m.getParameter<string[]>("attesters");
  const threshold = m.getParameter("threshold", 2n);
  const maxReserveAge = m.getParameter("maxReserveAge", DAY);

  const ledger = m.contract("AttestationLedger", [admin, attesters, threshold, maxReserveAge]);
  const tokens = bySymbol((a) => m.contract("AttestedToken", [a.name, a.symbol, a.decimals, ledger, admin], { id: a.symbol }));

  const { oracle, pool, router, vault } = wireProtocol(m, { admin, tokens });

  return { ledger, oracle, pool, router, vault, cNGN: tokens.cNGN, USDC: tokens.USDC, XAUt: tokens.XAUt };
});
