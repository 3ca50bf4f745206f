/**
 * Deploys the protocol around HTS tokens on Hedera: the tokens, their HtsIssuer contracts and the
 * AttestationLedger already exist (JuaPesaLedger.ts, then scripts/hedera/deploy-issuers.ts,
 * create-tokens.ts and set-issuer-token.ts), and this module wires the rest to them with
 * ignition/wiring.ts. Its id is "JuaPesa", like JuaPesa.ts, and the existing contracts are recorded
 * under the same ids (JuaPesa#AttestationLedger, JuaPesa#cNGN, …), so sdk/deployments.ts reads either.
 *
 * For each token the pool and the vault hold its ERC-20 facade (the token's own address, HIP-218).
 * The vault associates itself with the token before `addAsset`, whose approval of the router an
 * unassociated account could not make, then registers the issuer (`addIssuer`, which needs the asset
 * and the issuer's token already set). The pool associates itself too. Nothing moves a token here.
 *
 * Parameters (under "JuaPesa"): ledger; cNGNToken, USDCToken, XAUtToken (the facades, i.e. the tokens'
 * long-zero addresses); cNGNIssuer, USDCIssuer, XAUtIssuer; and the roles of ignition/wiring.ts.
 * Token and issuer addresses are one parameter each because Ignition resolves a parameter only when it
 * executes, and a contract's address must be a whole parameter, never a field of one.
 * No seed rates: on a live network the reporters publish the first rates.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { erc20Abi } from "viem";

import { ASSETS } from "../../sdk/protocol.js";
import { bySymbol, wireProtocol } from "../wiring.js";

/** Ignition needs an artifact for a contract it did not deploy; of an HTS token's facade, the ABI is enough. */
const HTS_TOKEN_FACADE = {
  _format: "hh3-artifact-1",
  contractName: "HtsTokenFacade",
  sourceName: "HIP-218 ERC-20 facade of an HTS token",
  abi: erc20Abi,
  bytecode: "0x",
  deployedBytecode: "0x",
  linkReferences: {},
  deployedLinkReferences: {},
};

/** The parameter names, which scripts/hedera/deploy-testnet.ts writes too. */
export const tokenParameter = (symbol: string) => `${symbol}Token`;
export const issuerParameter = (symbol: string) => `${symbol}Issuer`;

export default buildModule("JuaPesa", (m) => {
  const admin = m.getAccount(0);
  const ledger = m.contractAt("AttestationLedger", m.getParameter<string>("ledger"), { id: "AttestationLedger" });
  const tokens = bySymbol((a) =>
    m.contractAt("HtsTokenFacade", HTS_TOKEN_FACADE, m.getParameter<string>(tokenParameter(a.symbol)), { id: a.symbol }),
  );
  const issuers = bySymbol((a) =>
    m.contractAt("HtsIssuer", m.getParameter<string>(issuerParameter(a.symbol)), { id: issuerParameter(a.symbol) }),
  );

  const { oracle, pool, router, vault, assetAdded } = wireProtocol(m, {
    admin,
    tokens,
    beforeAddAsset: (vault, asset) => [
      m.call(vault, "associateHederaToken", [tokens[asset.symbol]], { id: `associateVault_${asset.symbol}` }),
    ],
  });
  for (const { symbol } of ASSETS) {
    m.call(vault, "addIssuer", [issuers[symbol]], { id: `addIssuer_${symbol}`, after: [assetAdded[symbol]] });
    m.call(pool, "associateHederaToken", [tokens[symbol]], { id: `associatePool_${symbol}` });
  }

  return {
    ledger,
    oracle,
    pool,
    router,
    vault,
    cNGN: tokens.cNGN,
    USDC: tokens.USDC,
    XAUt: tokens.XAUt,
    cNGNIssuer: issuers.cNGN,
    USDCIssuer: issuers.USDC,
    XAUtIssuer: issuers.XAUt,
  };
});
