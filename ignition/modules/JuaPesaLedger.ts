/**
 * Deploys the AttestationLedger on its own. On Hedera it comes first: each HTS token's HtsIssuer takes
 * the ledger in its constructor, and the issuers must exist before their tokens, which must exist before
 * the rest of the protocol (JuaPesaHedera.ts) can hold them.
 *
 * Parameters (under "JuaPesaLedger"): attesters (address[]), threshold (default 2), maxReserveAge
 * (default one day). The admin is the deploying account.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { DAY } from "../../sdk/protocol.js";

export default buildModule("JuaPesaLedger", (m) => {
  const admin = m.getAccount(0);
  const attesters = m.getParameter<string[]>("attesters");
  const threshold = m.getParameter("threshold", 2n);
  const maxReserveAge = m.getParameter("maxReserveAge", DAY);
  const ledger = m.contract("AttestationLedger", [admin, attesters, threshold, maxReserveAge]);
  return { ledger };
});
